/** OKX trading parsers on the real fixtures: place/cancel acks and refusals, orders, fills, balances, positions. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import type { ErrorCode } from '../../../src/core/errors.js';
import type { MarketResolver } from '../../../src/core/trading.js';
import type { RawResponse, RestRequest } from '../../../src/core/venue.js';
import { OKX_PRODUCTION } from '../../../src/exchanges/okx/config.js';
import { decodeOkxError, okxErrorCode } from '../../../src/exchanges/okx/errors.js';
import { createOkxTrading } from '../../../src/exchanges/okx/trading.js';
import { fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const market = tradingMarket;

const BTC_USDT = market('BTC/USDT', 'BTC-USDT', 'SPOT');
const OKB_USDT = market('OKB/USDT', 'OKB-USDT', 'SPOT');
const BTC_USDT_SWAP = market('BTC/USDT:USDT', 'BTC-USDT-SWAP', 'SWAP', { settle: 'USDT', linear: true, contractSize: Decimal.from('0.01') });
const ETH_USD_SWAP = market('ETH/USD:ETH', 'ETH-USD-SWAP', 'SWAP', { settle: 'ETH', linear: false, contractSize: Decimal.from('10') });
const ETH_USD_210430 = market('ETH/USD:ETH-210430', 'ETH-USD-210430', 'FUTURES', { settle: 'ETH', linear: false, contractSize: Decimal.from('10') });
const BTC_USD_191018 = market('BTC/USD:BTC-191018', 'BTC-USD-191018', 'FUTURES', { settle: 'BTC', linear: false, contractSize: Decimal.from('100') });

const ALL = [BTC_USDT, OKB_USDT, BTC_USDT_SWAP, ETH_USD_SWAP, ETH_USD_210430, BTC_USD_191018];

/** Resolves by id and, when given, checks the instrument type (segment) matches. */
const resolve: MarketResolver = (id, segment) => ALL.find((m) => m.id === id && (segment === undefined || m.segment === segment));

function json(path: string): unknown {
  return JSON.parse(fixtureText(`okx/${path}`)) as unknown;
}

const okx = createOkxTrading({ urls: OKX_PRODUCTION });
const AT = 1_800_000_000_000;

function dec(d: Decimal | undefined): string | undefined {
  return d?.toString();
}

function decodeFails(fn: () => unknown, field: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof VenueError && e.code === 'decode' && field.test(e.message));
}

function withRow(path: string, patch: Record<string, unknown>): unknown {
  const body = json(path) as { data: Array<Record<string, unknown>> };
  return { ...body, data: [{ ...body.data[0], ...patch }] };
}

test('the place response has ids only: a `new` report (recorded and documented responses)', () => {
  const rec = okx.parseCreateOrder(json('rest/trade-order-place-recorded.json'), BTC_USDT_SWAP, AT);
  assert.deepEqual(rec, {
    venue: 'okx',
    symbol: 'BTC/USDT:USDT',
    orderId: '2896576259728695296',
    clientOrderId: '6b9ad766b55dBCDE63969a1144bfb943',
    status: 'new',
    exchangeTime: 1758827099512,
    receivedAt: AT,
    source: 'rest',
  });
  const doc = okx.parseCreateOrder(json('rest/trade-order-place.json'), BTC_USDT_SWAP, AT);
  assert.equal(doc.orderId, '312269865356374016');
  assert.equal(doc.clientOrderId, 'oktswap6');
});

test('a refused order (HTTP 200, code "1", sCode 51008) is `rejected` from decodeError and from the parser', () => {
  const request: RestRequest = okx.createOrderRequest(BTC_USDT_SWAP, { symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', amount: Decimal.from('1') }, 'vk1');
  const response: RawResponse = { status: 200, headers: {}, body: fixtureText('okx/rest/trade-order-place-rejected-51008-recorded.json') };
  const err = decodeOkxError(response, request);
  assert.equal(err?.code, 'rejected');
  assert.equal(err?.venueCode, '51008');
  assert.match(err?.message ?? '', /Insufficient USDT margin/);
  assert.throws(
    () => okx.parseCreateOrder(json('rest/trade-order-place-rejected-51008-recorded.json'), BTC_USDT_SWAP, AT),
    (e: unknown) => e instanceof VenueError && e.code === 'rejected' && e.venueCode === '51008',
  );
});

test('unknown order 51603 is `not-found`, on a cancel and a query; an accepted cancel gives no report', () => {
  const notFound = { code: '1', msg: '', data: [{ clOrdId: '', ordId: '1', ts: '1695190491421', sCode: '51603', sMsg: 'Order does not exist' }] };
  const cancel = okx.cancelOrderRequest(BTC_USDT, { id: '1' });
  const err = decodeOkxError({ status: 200, headers: {}, body: JSON.stringify(notFound) }, cancel);
  assert.equal(err?.code, 'not-found');
  assert.throws(() => okx.parseCancelOrder(notFound, BTC_USDT, AT), (e: unknown) => e instanceof VenueError && e.code === 'not-found');
  const queryMiss = { code: '51603', msg: 'Order does not exist', data: [] };
  assert.equal(decodeOkxError({ status: 200, headers: {}, body: JSON.stringify(queryMiss) }, okx.fetchOrderRequest(BTC_USDT, { id: '1' }))?.code, 'not-found');
  assert.throws(() => okx.parseOrder(queryMiss, BTC_USDT, AT), (e: unknown) => e instanceof VenueError && e.code === 'not-found');
  assert.equal(decodeOkxError({ status: 200, headers: {}, body: fixtureText('okx/rest/trade-order-cancel.json') }, cancel), undefined);
  assert.equal(okx.parseCancelOrder(json('rest/trade-order-cancel.json'), BTC_USDT_SWAP, AT), undefined);
});

test('the trading error table: unknown order, balance, bad key or signature, timestamp, rate', () => {
  const cases: Array<[string, ErrorCode]> = [
    ['51603', 'not-found'],
    ['51008', 'rejected'],
    ['51119', 'rejected'],
    ['51131', 'rejected'],
    ['51016', 'rejected'],
    ['51401', 'rejected'],
    ['51402', 'rejected'],
    ['51407', 'invalid-argument'],
    ['50014', 'invalid-argument'],
    ['50111', 'auth'],
    ['50113', 'auth'],
    ['60007', 'auth'],
    ['60009', 'auth'],
    ['50102', 'clock-skew'],
    ['60006', 'clock-skew'],
    ['50011', 'rate-limited'],
    ['50061', 'rate-limited'],
    ['63999', 'network'],
  ];
  for (const [code, expected] of cases) assert.equal(okxErrorCode(code, undefined, true), expected, code);
  assert.equal(okxErrorCode('50004', undefined, true), 'outcome-unknown', 'a timed-out place is never retried blindly');
});

test('order details: a filled SPOT market order sized in quote (amount left out), no fill on REST reports', () => {
  const r = okx.parseOrder(json('rest/trade-order-details.json'), BTC_USDT, AT);
  assert.equal(r.orderId, '680800019749904384');
  assert.equal(r.clientOrderId, undefined);
  assert.equal(r.status, 'filled');
  assert.equal(dec(r.filled), '0.00192834');
  assert.equal(dec(r.average), '51858');
  assert.equal(r.side, 'buy');
  assert.equal(r.type, 'market');
  assert.equal(r.price, undefined);
  assert.equal(r.amount, undefined, 'sz "100" is USDT (tgtCcy quote_ccy), not base');
  assert.equal(r.reduceOnly, false);
  assert.equal(r.fill, undefined);
  assert.equal(r.exchangeTime, 1708587373362);
  assert.equal(r.source, 'rest');
  assert.equal(okx.parseOrder(json('rest/trade-orders-history.json'), BTC_USDT, AT).status, 'filled');
  decodeFails(() => okx.parseOrder(json('rest/trade-order-details.json'), OKB_USDT, AT), /data\[0\]\.instId/);
});

test('pending orders: a live post-only limit order', () => {
  const [r, ...rest] = okx.parseOpenOrders(json('rest/trade-orders-pending.json'), BTC_USDT, AT);
  assert.equal(rest.length, 0);
  assert.equal(r?.status, 'new');
  assert.equal(r?.type, 'limit');
  assert.equal(r?.postOnly, true);
  assert.equal(r?.timeInForce, 'GTC');
  assert.equal(dec(r?.price), '13013.5');
  assert.equal(dec(r?.amount), '0.001');
  assert.equal(dec(r?.filled), '0');
  assert.equal(r?.average, undefined, 'avgPx "" before any fill');
});

test('every state maps; an unknown state or order type passes through, noted; a malformed essential field is a decode error naming it', () => {
  const states: Array<[string, string]> = [
    ['live', 'new'],
    ['partially_filled', 'partially-filled'],
    ['filled', 'filled'],
    ['canceled', 'cancelled'],
    ['mmp_canceled', 'cancelled'],
  ];
  for (const [state, status] of states) assert.equal(okx.parseOrder(withRow('rest/trade-order-details.json', { state }), BTC_USDT, AT).status, status);
  // Unknown values pass through, unreadable non-essential fields are left out, both noted (unknown-values.test.ts).
  const noted = (patch: Record<string, unknown>): string[] | undefined => okx.parseOrder(withRow('rest/trade-order-details.json', patch), BTC_USDT, AT).problems?.map((p) => p.field);
  assert.deepEqual(noted({ state: 'expired' }), ['data[0].state']);
  assert.deepEqual(noted({ ordType: 'twap' }), ['data[0].ordType']);
  assert.deepEqual(noted({ avgPx: 'NaN' }), ['data[0].avgPx']);
  assert.deepEqual(noted({ reduceOnly: 'yes' }), ['data[0].reduceOnly']);
  decodeFails(() => okx.parseOrder(withRow('rest/trade-order-details.json', { accFillSz: '0.1.2' }), BTC_USDT, AT), /data\[0\]\.accFillSz/);
  decodeFails(() => okx.parseOrder(withRow('rest/trade-order-details.json', { side: 'BUY' }), BTC_USDT, AT), /data\[0\]\.side/);
  const ioc = okx.parseOrder(withRow('rest/trade-order-details.json', { ordType: 'ioc', px: '51000', tgtCcy: '' }), BTC_USDT, AT);
  assert.deepEqual([ioc.type, ioc.timeInForce, dec(ioc.price), dec(ioc.amount)], ['limit', 'IOC', '51000', '100']);
  const fok = okx.parseOrder(withRow('rest/trade-order-details.json', { ordType: 'fok', px: '51000' }), BTC_USDT, AT);
  assert.equal(fok.timeInForce, 'FOK');
  const cancelled = okx.parseOrder(withRow('rest/trade-order-details.json', { state: 'canceled', cancelSourceReason: 'Order canceled by user' }), BTC_USDT, AT);
  assert.equal(cancelled.reason, 'Order canceled by user');
});

test('fills (documented and recorded): price, size, fee charged positive, fee currency, taker, oldest first', () => {
  for (const file of ['rest/trade-fills.json', 'rest/trade-fills-recorded-2024-03.json']) {
    const fills = okx.parseMyTrades(json(file), BTC_USDT, AT);
    assert.equal(fills.length, 1, file);
  }
  const [f] = okx.parseMyTrades(json('rest/trade-fills-recorded-2024-03.json'), BTC_USDT, AT);
  assert.deepEqual(
    f && { ...f, price: dec(f.price), amount: dec(f.amount), fee: dec(f.fee) },
    {
      venue: 'okx',
      symbol: 'BTC/USDT',
      tradeId: '749554213',
      orderId: '688362711456706560',
      clientOrderId: '1229606897',
      side: 'buy',
      price: '73397.8',
      amount: '0.001',
      fee: '0.000001',
      feeCurrency: 'BTC',
      liquidity: 'taker',
      exchangeTime: 1710390459571,
      receivedAt: AT,
    },
  );
  const one = (json('rest/trade-fills.json') as { data: Array<Record<string, unknown>> }).data[0] ?? {};
  const two = { code: '0', msg: '', data: [{ ...one, tradeId: '744876981', fillTime: '1708587373999', execType: 'M', fee: '0.0001' }, one] };
  const sorted = okx.parseMyTrades(two, BTC_USDT, AT);
  assert.deepEqual(sorted.map((x) => x.tradeId), ['744876980', '744876981']);
  assert.equal(sorted[1]?.liquidity, 'maker');
  assert.equal(dec(sorted[1]?.fee), '-0.0001', 'a positive OKX fee is a rebate');
  decodeFails(() => okx.parseMyTrades({ code: '0', msg: '', data: [{ ...one, fillPx: '' }] }, BTC_USDT, AT), /data\[0\]\.fillPx/);
  assert.equal(okx.parseMyTrades({ code: '0', msg: '', data: [{ ...one, execType: 'X' }] }, BTC_USDT, AT)[0]?.liquidity, undefined, 'an unknown liquidity flag is left out');
});

test('balance: free = availBal, used = frozenBal, total = free + used (OKX eq), whole account', () => {
  const b = okx.parseBalance(json('rest/account-balance.json'), 'trading', AT);
  assert.equal(b.venue, 'okx');
  assert.equal(b.account, 'trading');
  assert.equal(b.partial, false);
  assert.equal(b.exchangeTime, 1705474164160);
  const usdt = b.balances['USDT'];
  assert.equal(dec(usdt?.free), '4834.317093622894');
  assert.equal(dec(usdt?.used), '158.573');
  assert.equal(dec(usdt?.total), '4992.890093622894');
  assert.ok(usdt?.total.eq('4992.890093622894'), 'equals the eq field');
  assert.deepEqual(Object.keys(b.balances), ['USDT']);
  const body = json('rest/account-balance.json') as { data: Array<{ details: Array<Record<string, unknown>> }> };
  const detail = body.data[0]?.details[0] ?? {};
  decodeFails(() => okx.parseBalance({ code: '0', msg: '', data: [{ uTime: '1', details: [{ ...detail, frozenBal: 'x' }] }] }, 'trading', AT), /details\[0\]\.frozenBal/);
});

test('positions: margin rows the resolver does not know are left out; FUTURES and SWAP rows parse', () => {
  assert.deepEqual(okx.parsePositions(json('rest/account-positions.json'), 'SWAP', resolve, AT), [], 'the documented row is MARGIN');
  const marginResolver: MarketResolver = (id, segment) => (id === 'BTC-USDT' && segment === 'MARGIN' ? BTC_USDT : undefined);
  const [m] = okx.parsePositions(json('rest/account-positions.json'), 'SWAP', marginResolver, AT);
  assert.equal(m?.symbol, 'BTC/USDT');
  assert.equal(m?.side, 'long', 'net mode, positive pos');
  assert.equal(dec(m?.contracts), '0.00190433573');
  assert.equal(dec(m?.entryPrice), '62961.4');
  assert.equal(dec(m?.markPrice), '62891.9');
  assert.equal(dec(m?.unrealizedPnl), '-0.0000033452492717');
  assert.equal(m?.realizedPnl, undefined);
  assert.equal(dec(m?.leverage), '5');
  assert.equal(m?.marginMode, 'isolated');
  assert.equal(dec(m?.liquidationPrice), '53615.448336593756');
  assert.equal(m?.hedgeSide, undefined);
  assert.equal(m?.exchangeTime, 1724742632153);
  const short = okx.parsePositions(withRow('rest/account-positions.json', { instType: 'SWAP', instId: 'BTC-USDT-SWAP', pos: '-3' }), 'SWAP', resolve, AT)[0];
  assert.deepEqual([short?.symbol, short?.side, dec(short?.contracts)], ['BTC/USDT:USDT', 'short', '3']);
  const flat = okx.parsePositions(withRow('rest/account-positions.json', { instType: 'SWAP', instId: 'BTC-USDT-SWAP', pos: '0' }), 'SWAP', resolve, AT)[0];
  assert.equal(flat?.side, 'flat');
  decodeFails(() => okx.parsePositions(withRow('rest/account-positions.json', { instType: 'SWAP', instId: 'BTC-USDT-SWAP', posSide: 'both' }), 'SWAP', resolve, AT), /data\[0\]\.posSide/);
  decodeFails(() => okx.parsePositions(withRow('rest/account-positions.json', { instType: 'SWAP', instId: 'BTC-USDT-SWAP', pos: '1,5' }), 'SWAP', resolve, AT), /data\[0\]\.pos/);
});
