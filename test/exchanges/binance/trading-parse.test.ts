/** Binance trading parsers on the real REST fixtures: orders (spot/USD-M, ACK/RESULT/FULL, cancel), own trades, balances, positions, malformed input. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { Market } from '../../../src/core/model.js';
import type { MarketResolver } from '../../../src/core/trading.js';
import { BINANCE_MAINNET } from '../../../src/exchanges/binance/config.js';
import { createBinanceTrading } from '../../../src/exchanges/binance/trading.js';
import { parseAccountBalances, parseOpenOrderList, parseOrderFor, parseOwnTrades, parsePositionRisk, parseSpotOrderFills } from '../../../src/exchanges/binance/trading-parse.js';
import { fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const RECEIVED = 1_700_000_000_000;
const d = (s: string): Decimal => Decimal.from(s);

const market = (segment: 'spot' | 'usdm', id: string, base: string, quote: string): Market => tradingMarket(segment, id, base, quote);

const BTC_SPOT = market('spot', 'BTCUSDT', 'BTC', 'USDT');
const LTC_SPOT = market('spot', 'LTCBTC', 'LTC', 'BTC');
const BNB_SPOT = market('spot', 'BNBBTC', 'BNB', 'BTC');
const BTC_PERP = market('usdm', 'BTCUSDT', 'BTC', 'USDT');
const XRP_PERP = market('usdm', 'XRPUSDT', 'XRP', 'USDT');
const USDM_BY_ID = new Map([BTC_PERP, XRP_PERP, market('usdm', 'ADAUSDT', 'ADA', 'USDT'), market('usdm', 'COMPUSDT', 'COMP', 'USDT')].map((m) => [m.id, m]));
const resolveUsdm: MarketResolver = (id, segment) => (segment === 'usdm' ? USDM_BY_ID.get(id) : undefined);

function rest(name: string): unknown {
  return parseJson(fixtureText(`binance/rest/${name}`));
}

function decodeNaming(field: string) {
  return (e: unknown): boolean => VenueError.is(e, 'decode') && e.message.includes(`field ${field}`);
}

const adapter = createBinanceTrading({ urls: BINANCE_MAINNET });

test('spot FULL answer: filled market sell, cumulative quantity, average = quote / quantity, fills with trade ids and fees', () => {
  const body = rest('spot-order-new-full.json');
  const report = adapter.parseCreateOrder(body, BTC_SPOT, RECEIVED);
  assert.equal(report.status, 'filled');
  assert.equal(report.orderId, '28');
  assert.equal(report.clientOrderId, '6gCrw2kRUAF9CvJDGP16IP');
  assert.equal(report.side, 'sell');
  assert.equal(report.type, 'market');
  assert.equal(report.postOnly, false);
  assert.equal(report.price, undefined, 'market orders carry price 0: no price');
  assert.ok(report.filled?.eq('10'));
  assert.ok(report.amount?.eq('10'));
  assert.equal(report.average?.toString(), '1', 'cummulativeQuoteQty 10 / executedQty 10');
  assert.equal(report.timeInForce, 'GTC');
  assert.equal(report.exchangeTime, 1507725176595);
  assert.equal(report.source, 'rest');
  assert.equal(report.fill, undefined, 'several fills: read them with parseSpotOrderFills');
  const fills = parseSpotOrderFills(body, BTC_SPOT, RECEIVED);
  assert.deepEqual(
    fills.map((f) => [f.tradeId, f.price.toString(), f.amount.toString(), f.fee?.toString(), f.feeCurrency, f.side, f.orderId]),
    [
      ['56', '4000.00000000', '1.00000000', '4.00000000', 'USDT', 'sell', '28'],
      ['57', '3999.00000000', '5.00000000', '19.99500000', 'USDT', 'sell', '28'],
      ['58', '3998.00000000', '2.00000000', '7.99600000', 'USDT', 'sell', '28'],
      ['59', '3997.00000000', '1.00000000', '3.99700000', 'USDT', 'sell', '28'],
      ['60', '3995.00000000', '1.00000000', '3.99500000', 'USDT', 'sell', '28'],
    ],
  );
  assert.deepEqual(parseSpotOrderFills(rest('spot-order-new-result.json'), BTC_SPOT, RECEIVED), []);
});

test('spot RESULT and ACK answers: RESULT has the status; ACK (ids only) reports new', () => {
  const result = adapter.parseCreateOrder(rest('spot-order-new-result.json'), BTC_SPOT, RECEIVED);
  assert.equal(result.status, 'filled');
  const ack = adapter.parseCreateOrder(rest('spot-order-new-ack.json'), BTC_SPOT, RECEIVED);
  assert.deepEqual(ack, { venue: 'binance', symbol: 'BTC/USDT', orderId: '28', clientOrderId: '6gCrw2kRUAF9CvJDGP16IP', status: 'new', exchangeTime: 1507725176595, receivedAt: RECEIVED, source: 'rest' });
});

test('spot cancel: the order keeps its own client id (origClientOrderId), not the cancel request id', () => {
  const report = adapter.parseCancelOrder(rest('spot-order-cancel.json'), LTC_SPOT, RECEIVED);
  assert.ok(report);
  assert.equal(report.status, 'cancelled');
  assert.equal(report.clientOrderId, 'myOrder1');
  assert.equal(report.orderId, '4');
  assert.ok(report.filled?.isZero());
  assert.equal(report.average, undefined);
  assert.equal(report.price?.toString(), '2.00000000');
  assert.equal(report.type, 'limit');
  assert.equal(report.side, 'buy');
});

test('spot query, open orders and all orders', () => {
  const q = adapter.parseOrder(rest('spot-order-query.json'), LTC_SPOT, RECEIVED);
  assert.equal(q.status, 'new');
  assert.equal(q.clientOrderId, 'myOrder1');
  assert.equal(q.price?.toString(), '0.1');
  assert.equal(q.amount?.toString(), '1.0');
  assert.equal(q.exchangeTime, 1499827319559);
  for (const name of ['spot-open-orders.json', 'spot-all-orders.json']) {
    const list = adapter.parseOpenOrders(rest(name), LTC_SPOT, RECEIVED);
    assert.equal(list.length, 1);
    assert.deepEqual(list[0], q);
  }
});

test('USD-M recorded place, cancel, query and open orders', () => {
  const placed = adapter.parseCreateOrder(rest('usdm-order-new-recorded.json'), BTC_PERP, RECEIVED);
  assert.deepEqual(placed, {
    venue: 'binance',
    symbol: 'BTC/USDT:USDT',
    orderId: '4077634200',
    clientOrderId: 'pRxDtGFyxElEV3emIYz1tb',
    status: 'new',
    filled: d('0.000'),
    side: 'buy',
    type: 'limit',
    timeInForce: 'GTC',
    postOnly: false,
    price: d('93000.00'),
    amount: d('1.000'),
    reduceOnly: false,
    exchangeTime: 1736869853102,
    receivedAt: RECEIVED,
    source: 'rest',
  });
  const cancelled = adapter.parseCancelOrder(rest('usdm-order-cancel-recorded.json'), BTC_PERP, RECEIVED);
  assert.equal(cancelled?.status, 'cancelled');
  assert.equal(cancelled?.exchangeTime, 1736898322718);
  const q = adapter.parseOrder(rest('usdm-order-query-recorded.json'), XRP_PERP, RECEIVED);
  assert.equal(q.status, 'new');
  assert.equal(q.price?.toString(), '3.0937');
  const open = adapter.parseOpenOrders(rest('usdm-open-orders-recorded.json'), XRP_PERP, RECEIVED);
  assert.equal(open.length, 1);
  assert.equal(open[0]?.clientOrderId, 'VmySP2fdDzEwT9bSpp0OHr');
  assert.equal(parseOpenOrderList(rest('usdm-all-orders-recorded.json'), XRP_PERP, RECEIVED)[0]?.orderId, '260630021');
});

test('USD-M doc examples: conditional order types leave type unset; GTD leaves timeInForce unset', () => {
  const placed = adapter.parseCreateOrder(rest('usdm-order-new.json'), BTC_PERP, RECEIVED);
  assert.equal(placed.type, undefined, 'TRAILING_STOP_MARKET');
  assert.equal(placed.timeInForce, undefined, 'GTD');
  assert.equal(placed.price, undefined);
  assert.equal(placed.orderId, '22542179');
  assert.equal(adapter.parseCancelOrder(rest('usdm-order-cancel.json'), BTC_PERP, RECEIVED)?.status, 'cancelled');
  assert.equal(adapter.parseOrder(rest('usdm-order-query.json'), BTC_PERP, RECEIVED).amount?.toString(), '0.40');
  assert.equal(adapter.parseOpenOrders(rest('usdm-open-orders.json'), BTC_PERP, RECEIVED)[0]?.clientOrderId, 'abc');
  const gtx = parseOrderFor({ ...(rest('usdm-order-new-recorded.json') as object), timeInForce: 'GTX' }, BTC_PERP, RECEIVED);
  assert.equal(gtx.postOnly, true);
  assert.equal(gtx.timeInForce, undefined);
});

test('USD-M average: avgPrice when filled, else none', () => {
  const base = rest('usdm-order-new-recorded.json') as Record<string, unknown>;
  const partly = parseOrderFor({ ...base, status: 'PARTIALLY_FILLED', executedQty: '0.400', avgPrice: '92999.50', cumQuote: '37199.80000' }, BTC_PERP, RECEIVED);
  assert.equal(partly.status, 'partially-filled');
  assert.equal(partly.average?.toString(), '92999.50');
  const noAvg = parseOrderFor({ ...base, status: 'FILLED', executedQty: '0.400', avgPrice: '0', cumQuote: '37199.80000' }, BTC_PERP, RECEIVED);
  assert.equal(noAvg.average?.toString(), '92999.5', 'falls back to cumQuote / executedQty');
});

test('own trades: spot myTrades and USD-M userTrades as fills with side, maker/taker and fees (USD-M rebates negative)', () => {
  const spot = adapter.parseMyTrades(rest('spot-my-trades.json'), BNB_SPOT, RECEIVED);
  assert.deepEqual(spot, [
    {
      venue: 'binance',
      symbol: 'BNB/BTC',
      tradeId: '28457',
      orderId: '100234',
      side: 'buy',
      price: d('4.00000100'),
      amount: d('12.00000000'),
      fee: d('10.10000000'),
      feeCurrency: 'BNB',
      liquidity: 'taker',
      exchangeTime: 1499865549590,
      receivedAt: RECEIVED,
    },
  ]);
  const usdm = parseOwnTrades(rest('usdm-user-trades.json'), BTC_PERP, RECEIVED);
  assert.equal(usdm.length, 1);
  assert.equal(usdm[0]?.side, 'sell');
  assert.equal(usdm[0]?.tradeId, '698759');
  assert.equal(usdm[0]?.fee?.toString(), '-0.07819010');
  assert.equal(usdm[0]?.liquidity, 'taker');
  assert.throws(() => parseOwnTrades(rest('spot-my-trades.json'), BTC_SPOT, RECEIVED), decodeNaming('[0].symbol'), 'rows of another market');
});

test('balances: spot free/locked; USD-M account v3 (recorded) and balance v3 rows; total = free + used', () => {
  const spot = adapter.parseBalance(rest('spot-account.json'), 'spot', RECEIVED);
  assert.equal(spot.account, 'spot');
  assert.equal(spot.partial, false);
  assert.equal(spot.exchangeTime, 123456789);
  assert.deepEqual(Object.keys(spot.balances), ['BTC', 'LTC']);
  assert.equal(spot.balances['BTC']?.free.toString(), '4723846.89208129');
  assert.ok(spot.balances['BTC']?.used.isZero());
  assert.ok(spot.balances['BTC']?.total.eq('4723846.89208129'));
  const usdm = adapter.parseBalance(rest('usdm-account-v3-recorded.json'), 'usdm', RECEIVED);
  assert.deepEqual(Object.keys(usdm.balances), ['USDT'], 'empty assets left out');
  assert.ok(usdm.balances['USDT']?.total.eq('15000'));
  assert.ok(usdm.balances['USDT']?.free.eq('15000'));
  assert.ok(usdm.balances['USDT']?.used.isZero());
  assert.equal(usdm.exchangeTime, 1736591270429);
  const v3 = parseAccountBalances(rest('usdm-balance-v3.json'), 'usdm', RECEIVED);
  const usdt = v3.balances['USDT'];
  assert.ok(usdt);
  assert.ok(usdt.total.eq('122607.35137903'));
  assert.ok(usdt.free.eq('23.72469206'));
  assert.ok(usdt.free.add(usdt.used).eq(usdt.total));
  assert.throws(() => parseAccountBalances({ balances: [{ asset: 'BTC', free: '1.0.0', locked: '0' }] }, 'spot', RECEIVED), decodeNaming('balances[0].free'));
  assert.throws(() => parseAccountBalances({}, 'margin', RECEIVED), VenueError);
});

test('positions: one-way (BOTH) and hedge legs, signed amounts to side + size, zero liquidation price = none', () => {
  const oneWay = adapter.parsePositions(rest('usdm-position-risk-v3-oneway.json'), 'usdm', resolveUsdm, RECEIVED);
  assert.deepEqual(oneWay, [
    {
      venue: 'binance',
      symbol: 'ADA/USDT:USDT',
      side: 'long',
      contracts: d('30'),
      entryPrice: d('0.385'),
      markPrice: d('0.41047590'),
      unrealizedPnl: d('0.76427700'),
      exchangeTime: 1720736417660,
      receivedAt: RECEIVED,
    },
  ]);
  const hedge = parsePositionRisk(rest('usdm-position-risk-v3-hedge.json'), resolveUsdm, RECEIVED);
  assert.deepEqual(
    hedge.map((p) => [p.symbol, p.side, p.hedgeSide, p.contracts.toString(), p.liquidationPrice?.toString()]),
    [
      ['ADA/USDT:USDT', 'long', 'long', '30', undefined],
      ['COMP/USDT:USDT', 'short', 'short', '1.000', '2260.56757210'],
    ],
  );
  assert.deepEqual(parsePositionRisk(rest('usdm-position-risk-v3-hedge.json'), () => undefined, RECEIVED), [], 'unknown markets are left out');
  assert.throws(() => adapter.parsePositions([], 'spot', resolveUsdm, RECEIVED), VenueError);
  const flat = parsePositionRisk([{ ...(rest('usdm-position-risk-v3-oneway.json') as object[])[0], positionAmt: '0', entryPrice: '0.0', leverage: '20', marginType: 'isolated' }], resolveUsdm, RECEIVED);
  assert.equal(flat[0]?.side, 'flat');
  assert.equal(flat[0]?.entryPrice, undefined);
  assert.equal(flat[0]?.leverage?.toString(), '20');
  assert.equal(flat[0]?.marginMode, 'isolated');
});

test('status map: every documented status, PENDING_CANCEL by fill; malformed essential fields -> decode naming the field', () => {
  const expected: Record<string, string> = {
    NEW: 'new',
    PENDING_NEW: 'new',
    PARTIALLY_FILLED: 'partially-filled',
    FILLED: 'filled',
    CANCELED: 'cancelled',
    REJECTED: 'rejected',
    EXPIRED: 'expired',
    EXPIRED_IN_MATCH: 'expired',
  };
  const base = rest('spot-order-query.json') as Record<string, unknown>;
  const statusOf = (status: string, executedQty = '0.0'): string => adapter.parseOrder({ ...base, status, executedQty }, LTC_SPOT, RECEIVED).status;
  for (const [venue, unified] of Object.entries(expected)) assert.equal(statusOf(venue), unified, venue);
  assert.equal(statusOf('PENDING_CANCEL'), 'new');
  assert.equal(statusOf('PENDING_CANCEL', '0.5'), 'partially-filled');
  // An unknown status passes through (see unknown-values.test.ts).
  assert.equal(adapter.parseOrder({ ...base, status: 'WORKING' }, LTC_SPOT, RECEIVED).venueStatus, 'WORKING');
  assert.throws(() => adapter.parseOrder({ ...base, executedQty: '1,5' }, LTC_SPOT, RECEIVED), decodeNaming('executedQty'));
  assert.throws(() => adapter.parseOrder({ ...base, side: 'buy' }, LTC_SPOT, RECEIVED), decodeNaming('side'));
  assert.throws(() => adapter.parseOpenOrders([base, { ...base, origQty: 1 }], LTC_SPOT, RECEIVED), decodeNaming('[1].origQty'));
  const usdm = rest('usdm-order-new-recorded.json') as Record<string, unknown>;
  assert.equal(adapter.parseOrder({ ...usdm, status: 'NEW_INSURANCE' }, BTC_PERP, RECEIVED).status, 'new');
  assert.deepEqual(adapter.parseOrder({ ...usdm, avgPrice: 'NaN' }, BTC_PERP, RECEIVED).problems?.map((p) => p.field), ['avgPrice'], 'a non-essential price is noted, not fatal');
  assert.throws(() => adapter.parseOrder(usdm, XRP_PERP, RECEIVED), decodeNaming('symbol'), 'an answer for another market');
});

test('64-bit order ids stay exact strings', () => {
  const text = fixtureText('binance/rest/usdm-order-new-recorded.json').replace('"orderId":4077634200', '"orderId":12345678901234567890');
  assert.equal(adapter.parseCreateOrder(parseJson(text), BTC_PERP, RECEIVED).orderId, '12345678901234567890');
});
