/**
 * Bybit trading parsers on the real REST fixtures: place/cancel answers, order lists, executions, the unified
 * wallet and positions; status mapping; decode errors naming the field; error envelopes; trading error codes.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { Decimal } from '../../../src/core/decimal.js';
import { VenueError, type ErrorCode } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { Market } from '../../../src/core/model.js';
import type { RestRequest } from '../../../src/core/venue.js';
import { BYBIT_TESTNET } from '../../../src/exchanges/bybit/config.js';
import { bybitErrorCode, decodeBybitError } from '../../../src/exchanges/bybit/errors.js';
import { createBybitTrading } from '../../../src/exchanges/bybit/trading.js';
import { BYBIT_ORDER_STATUS } from '../../../src/exchanges/bybit/trading-parse.js';
import { fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const rest = (name: string): unknown => parseJson(fixtureText(`bybit/rest/${name}`));
const str = (d: Decimal | undefined): string | undefined => d?.toString();
const trading = createBybitTrading({ urls: BYBIT_TESTNET });


const ETH_LINEAR = tradingMarket('ETHUSDT', 'linear', 'ETH', 'USDT');
const XRP_LINEAR = tradingMarket('XRPUSDT', 'linear', 'XRP', 'USDT');
const BTC_LINEAR = tradingMarket('BTCUSDT', 'linear', 'BTC', 'USDT');
const ETH_PERP = tradingMarket('ETHPERP', 'linear', 'ETH', 'USDC');
const BTC_INVERSE = tradingMarket('BTCUSD', 'inverse', 'BTC', 'USD');
const BTC_SPOT = tradingMarket('BTCUSDT', 'spot', 'BTC', 'USDT');
const decodeNaming = (field: string) => (e: unknown): boolean => VenueError.is(e, 'decode') && e.message.includes(field);

test('place answers (doc and recorded) report the order as new with its ids and the envelope time', () => {
  const doc = trading.parseCreateOrder(rest('order-create.json'), BTC_SPOT, 9);
  assert.deepEqual(doc, { venue: 'bybit', symbol: 'BTC/USDT', orderId: '1321003749386327552', clientOrderId: 'spot-test-postonly', status: 'new', exchangeTime: 1672211918471, receivedAt: 9, source: 'rest' });
  const recorded = trading.parseCreateOrder(rest('order-create-recorded.json'), XRP_LINEAR, 9);
  assert.equal(recorded.orderId, 'd8612fcb-0565-4f39-9211-ebca8c25eb21');
  assert.equal(recorded.clientOrderId, undefined, 'an empty orderLinkId is absent');
  assert.equal(recorded.status, 'new');
  assert.throws(() => trading.parseCreateOrder({ retCode: 0, result: { orderLinkId: 'x' } }, BTC_SPOT, 1), decodeNaming('result.orderId'));
});

test('cancel answers hold ids only: no report; an error envelope throws its mapped error', () => {
  assert.equal(trading.parseCancelOrder(rest('order-cancel.json'), ETH_LINEAR, 1), undefined);
  assert.equal(trading.parseCancelOrder(rest('order-cancel-recorded.json'), XRP_LINEAR, 1), undefined);
  assert.throws(
    () => trading.parseCancelOrder({ retCode: 110001, retMsg: 'order not exists or too late to cancel', result: {}, time: 1 }, XRP_LINEAR, 1),
    (e: unknown) => VenueError.is(e, 'not-found') && e.venueCode === '110001',
  );
});

test('an open linear order (doc realtime): status, ids, side, type, price, amount, TIF, zero fills and no average', () => {
  const r = trading.parseOrder(rest('order-realtime.json'), ETH_LINEAR, 7);
  assert.equal(r.symbol, 'ETH/USDT:USDT');
  assert.equal(r.orderId, 'fd4300ae-7847-404e-b947-b46980a4d140');
  assert.equal(r.clientOrderId, 'test-000005');
  assert.equal(r.status, 'new');
  assert.equal(r.side, 'buy');
  assert.equal(r.type, 'limit');
  assert.equal(str(r.price), '1600.00');
  assert.equal(str(r.amount), '0.10');
  assert.equal(str(r.filled), '0.00');
  assert.equal(r.average, undefined, 'avgPrice "0" before any fill is no average');
  assert.equal(r.timeInForce, 'GTC');
  assert.equal(r.postOnly, false);
  assert.equal(r.reduceOnly, false);
  assert.equal(r.reason, undefined);
  assert.equal(r.exchangeTime, 1684738540561);
  assert.equal(r.receivedAt, 7);
  assert.equal(r.source, 'rest');
  assert.equal(r.fill, undefined, 'Bybit orders carry no execution');
});

test('a recorded cancelled order: cancelled, its reject reason kept, empty avgPrice absent', () => {
  const [r] = trading.parseOpenOrders(rest('order-realtime-recorded.json'), XRP_LINEAR, 1);
  assert.ok(r);
  assert.equal(r.status, 'cancelled');
  assert.equal(r.reason, 'EC_PerCancelRequest');
  assert.equal(str(r.price), '2.7862');
  assert.equal(str(r.amount), '4');
  assert.equal(str(r.filled), '0');
  assert.equal(r.average, undefined);
  assert.equal(r.exchangeTime, 1737695925793);
});

test('a post-only order that would have crossed (order history) reads as cancelled post-only GTC with its reason', () => {
  const [r] = trading.parseOpenOrders(rest('order-history.json'), BTC_LINEAR, 1);
  assert.ok(r);
  assert.equal(r.status, 'cancelled');
  assert.equal(r.timeInForce, 'GTC');
  assert.equal(r.postOnly, true);
  assert.equal(r.reason, 'EC_PostOnlyWillTakeLiquidity');
});

test('every documented order status maps; an unknown one passes through as venueStatus, noted', () => {
  const expected: Record<string, string> = {
    New: 'new',
    PartiallyFilled: 'partially-filled',
    Untriggered: 'new',
    Triggered: 'new',
    Filled: 'filled',
    Cancelled: 'cancelled',
    PartiallyFilledCanceled: 'cancelled',
    Deactivated: 'cancelled',
    Rejected: 'rejected',
  };
  assert.deepEqual(Object.fromEntries(BYBIT_ORDER_STATUS), expected);
  const body = rest('order-realtime.json') as { result: { list: Array<Record<string, unknown>> } };
  for (const [status, mapped] of Object.entries(expected)) {
    const row = { ...body.result.list[0], orderStatus: status, cumExecQty: '0.05', avgPrice: '1599.5' };
    const r = trading.parseOrder({ ...body, result: { ...body.result, list: [row] } }, ETH_LINEAR, 1);
    assert.equal(r.status, mapped, status);
    assert.equal(str(r.average), '1599.5');
    assert.equal(str(r.filled), '0.05');
  }
  const odd = trading.parseOrder({ ...body, result: { ...body.result, list: [{ ...body.result.list[0], orderStatus: 'Expired' }] } }, ETH_LINEAR, 1);
  assert.deepEqual([odd.status, odd.venueStatus, odd.problems?.map((p) => p.field)], ['new', 'Expired', ['result.list[0].orderStatus']]);
});

test('malformed essential decimals and sides are decode errors naming the field; an unknown type or time in force is noted', () => {
  const body = rest('order-realtime.json') as { result: { list: Array<Record<string, unknown>> } };
  const withRow = (patch: Record<string, unknown>): unknown => ({ ...body, result: { ...body.result, list: [{ ...body.result.list[0], ...patch }] } });
  assert.throws(() => trading.parseOrder(withRow({ cumExecQty: '1.2.3' }), ETH_LINEAR, 1), decodeNaming('result.list[0].cumExecQty'));
  assert.throws(() => trading.parseOrder(withRow({ qty: 0.1 }), ETH_LINEAR, 1), decodeNaming('result.list[0].qty'));
  assert.throws(() => trading.parseOrder(withRow({ side: 'buy' }), ETH_LINEAR, 1), decodeNaming('result.list[0].side'));
  // Unknown enum values pass through, noted (unknown-values.test.ts has the rest).
  const stop = trading.parseOrder(withRow({ orderType: 'Stop' }), ETH_LINEAR, 1);
  assert.deepEqual([stop.type, stop.venueType, stop.problems?.map((p) => p.field)], [undefined, 'Stop', ['result.list[0].orderType']]);
  const gtx = trading.parseOrder(withRow({ timeInForce: 'GTX' }), ETH_LINEAR, 1);
  assert.deepEqual([gtx.timeInForce, gtx.problems?.map((p) => p.field)], [undefined, ['result.list[0].timeInForce']]);
  assert.throws(() => trading.parseOrder(withRow({ symbol: 'BTCUSDT' }), ETH_LINEAR, 1), decodeNaming('result.list[0].symbol'));
  // A spot market order sized in quote has no base amount to report.
  const quoteSized = trading.parseOrder(withRow({ orderType: 'Market', marketUnit: 'quoteCoin', timeInForce: 'IOC' }), ETH_LINEAR, 1);
  assert.equal(quoteSized.amount, undefined);
  assert.equal(quoteSized.price, undefined, 'a market order has no order price');
});

test('an empty realtime list is not-found; an error envelope throws its mapped error', () => {
  const empty = { retCode: 0, retMsg: 'OK', result: { list: [], nextPageCursor: '', category: 'linear' }, time: 1 };
  assert.throws(() => trading.parseOrder(empty, ETH_LINEAR, 1), (e: unknown) => VenueError.is(e, 'not-found'));
  assert.deepEqual(trading.parseOpenOrders(empty, ETH_LINEAR, 1), []);
  assert.throws(() => trading.parseOrder(rest('error-10003-api-key-invalid-recorded.json'), ETH_LINEAR, 1), (e: unknown) => VenueError.is(e, 'auth'));
});

test('executions (doc): a taker fill with its id, price, qty, fee in the settle coin when feeCurrency is empty', () => {
  const fills = trading.parseMyTrades(rest('execution-list.json'), ETH_PERP, 3);
  assert.deepEqual(fills.map((f) => ({ ...f, price: str(f.price), amount: str(f.amount), fee: str(f.fee) })), [
    {
      venue: 'bybit',
      symbol: 'ETH/USDC:USDC',
      tradeId: 'e0cbe81d-0f18-5866-9415-cf319b5dab3b',
      orderId: '8c065341-7b52-4ca9-ac2c-37e31ac55c94',
      side: 'buy',
      price: '1190.15',
      amount: '0.1',
      fee: '0.071409',
      feeCurrency: 'USDC',
      liquidity: 'taker',
      exchangeTime: 1672282722429,
      receivedAt: 3,
    },
  ]);
});

test('executions come oldest first; funding rows are not fills; a spot row keeps its own feeCurrency', () => {
  const body = rest('execution-list.json') as { result: { list: Array<Record<string, unknown>> } };
  const row = body.result.list[0] as Record<string, unknown>;
  const rows = [
    { ...row, execId: 'newest', execTime: '1672282722500' },
    { ...row, execId: 'funding', execType: 'Funding', execTime: '1672282722450' },
    { ...row, execId: 'oldest', execTime: '1672282722400', isMaker: true },
  ];
  const fills = trading.parseMyTrades({ ...body, result: { ...body.result, list: rows } }, ETH_PERP, 1);
  assert.deepEqual(fills.map((f) => f.tradeId), ['oldest', 'newest']);
  assert.equal(fills[0]?.liquidity, 'maker');
  const spotRows = [{ ...row, symbol: 'BTCUSDT', feeCurrency: 'BTC', execFee: '-0.00000100' }];
  const [spot] = trading.parseMyTrades({ ...body, result: { ...body.result, list: spotRows } }, BTC_SPOT, 1);
  assert.equal(spot?.feeCurrency, 'BTC');
  assert.equal(str(spot?.fee), '-0.00000100', 'a rebate stays negative');
  const noCurrency = trading.parseMyTrades({ ...body, result: { ...body.result, list: [{ ...row, symbol: 'BTCUSDT' }] } }, BTC_SPOT, 1);
  assert.equal(noCurrency[0]?.feeCurrency, undefined, 'no guess on spot');
  assert.throws(() => trading.parseMyTrades({ ...body, result: { ...body.result, list: [{ ...row, execPrice: '' }] } }, ETH_PERP, 1), decodeNaming('result.list[0].execPrice'));
});

test('the unified wallet (recorded and doc): total = walletBalance, used = locked + order IM + position IM, free = the rest', () => {
  const recorded = trading.parseBalance(rest('wallet-balance-unified-recorded.json'), 'unified', 4);
  assert.equal(recorded.venue, 'bybit');
  assert.equal(recorded.account, 'unified');
  assert.equal(recorded.partial, false);
  assert.equal(recorded.exchangeTime, 1737640902711);
  assert.deepEqual(Object.keys(recorded.balances), ['USDT']);
  const usdt = recorded.balances['USDT'];
  assert.deepEqual([usdt?.free, usdt?.used, usdt?.total].map(str), ['1000', '0', '1000']);
  const doc = trading.parseBalance(rest('wallet-balance.json'), 'unified', 4);
  assert.deepEqual([doc.balances['BTC']?.free, doc.balances['BTC']?.used, doc.balances['BTC']?.total].map(str), ['0', '0', '0']);
  const body = rest('wallet-balance-unified-recorded.json') as { result: { list: Array<{ coin: Array<Record<string, unknown>> }> } };
  const account = body.result.list[0] as { coin: Array<Record<string, unknown>> };
  const coin = { ...account.coin[0], locked: '10', totalOrderIM: '2.55573119', totalPositionIM: '' };
  const patched = trading.parseBalance({ ...body, result: { list: [{ ...account, coin: [coin] }] } }, 'unified', 1);
  assert.deepEqual([patched.balances['USDT']?.free, patched.balances['USDT']?.used].map(str), ['987.44426881', '12.55573119']);
  const bad = { ...body, result: { list: [{ ...account, coin: [{ ...coin, walletBalance: 'NaN' }] }] } };
  assert.throws(() => trading.parseBalance(bad, 'unified', 1), decodeNaming('result.list[0].coin[0].walletBalance'));
});

test('positions (doc, inverse): a short of 300 contracts with entry, mark, PnL, leverage, cross margin, no liquidation price', () => {
  const resolve = (id: string, segment?: string): Market | undefined => (id === 'BTCUSD' && segment === 'inverse' ? BTC_INVERSE : undefined);
  const [p] = trading.parsePositions(rest('position-list.json'), 'inverse', resolve, 5);
  assert.ok(p);
  assert.equal(p.symbol, 'BTC/USD:BTC');
  assert.equal(p.side, 'short');
  assert.equal(str(p.contracts), '300');
  assert.equal(str(p.entryPrice), '27464.50441675');
  assert.equal(str(p.markPrice), '28224.50');
  assert.equal(str(p.unrealizedPnl), '-0.00029413');
  assert.equal(str(p.realizedPnl), '-0.00096902');
  assert.equal(str(p.leverage), '10');
  assert.equal(p.marginMode, 'cross');
  assert.equal(p.liquidationPrice, undefined);
  assert.equal(p.hedgeSide, undefined);
  assert.equal(p.exchangeTime, 1697673600012);
  assert.deepEqual(trading.parsePositions(rest('position-list.json'), 'inverse', () => undefined, 5), [], 'unknown markets are left out');
  const body = rest('position-list.json') as { result: { list: Array<Record<string, unknown>> } };
  const withRow = (patch: Record<string, unknown>): unknown => ({ ...body, result: { ...body.result, list: [{ ...body.result.list[0], ...patch }] } });
  assert.throws(() => trading.parsePositions(withRow({ side: 'Long' }), 'inverse', resolve, 1), decodeNaming('result.list[0].side'));
  assert.throws(() => trading.parsePositions(withRow({ size: '3O0' }), 'inverse', resolve, 1), decodeNaming('result.list[0].size'));
  const flat = trading.parsePositions(withRow({ side: '', size: '0', positionIdx: 2 }), 'inverse', resolve, 1)[0];
  assert.equal(flat?.side, 'flat');
  assert.equal(flat?.hedgeSide, 'short');
});

const COMMAND: RestRequest = { method: 'POST', api: 'rest', path: '/v5/order/create', body: { category: 'linear' }, signed: true, costs: [], command: true };

test('trading error codes: unknown order, balance, rejected orders, key/signature, timestamp, rate', () => {
  const table: Array<[number, ErrorCode]> = [
    [110001, 'not-found'],
    [170213, 'not-found'],
    [110004, 'rejected'],
    [110007, 'rejected'],
    [110012, 'rejected'],
    [110006, 'rejected'],
    [110044, 'rejected'],
    [110045, 'rejected'],
    [170131, 'rejected'],
    [110094, 'rejected'],
    [110072, 'rejected'],
    [170210, 'rejected'],
    [110019, 'invalid-argument'],
    [170130, 'invalid-argument'],
    [170121, 'not-found'],
    [10003, 'auth'],
    [10004, 'auth'],
    [10005, 'auth'],
    [10002, 'clock-skew'],
    [10006, 'rate-limited'],
    [10019, 'outcome-unknown'],
  ];
  for (const [code, expected] of table) {
    const err = decodeBybitError({ status: 200, headers: {}, body: JSON.stringify({ retCode: code, retMsg: 'm', result: {}, time: 1 }) }, COMMAND);
    assert.equal(err?.code, expected, String(code));
    assert.equal(err?.venueCode, String(code));
  }
  assert.equal(bybitErrorCode(10019, undefined, false), 'network', 'a restart answering a read is a network error');
});
