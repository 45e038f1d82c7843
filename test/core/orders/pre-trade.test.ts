/** Pre-trade checks (RISK-01, ORDR-01/02): venue filters and risk hooks refuse locally, naming the rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import type { Market } from '../../../src/core/model.js';
import type { OrderRequest } from '../../../src/core/orders/order-model.js';
import { RiskChecks, maxNotional, maxQuantity, notionalOf, priceBand, validateAgainstMarket } from '../../../src/core/orders/pre-trade.js';

const D = (s: string) => Decimal.from(s);
const spot: Market = {
  symbol: 'BTC/USDT', id: 'BTCUSDT', venue: 'binance', type: 'spot', segment: 'spot', base: 'BTC', quote: 'USDT', status: 'active', venueStatus: 'TRADING',
  tickSize: D('0.01'), stepSize: D('0.00001'), minQty: D('0.00001'), maxQty: D('9000'), marketMaxQty: D('100'), minNotional: D('5'), precision: { price: 2, amount: 5 },
};
const inverse: Market = {
  symbol: 'BTC/USD:BTC', id: 'BTCUSD', venue: 'bybit', type: 'swap', segment: 'inverse', base: 'BTC', quote: 'USD', settle: 'BTC', linear: false, contractSize: D('1'), status: 'active', venueStatus: 'Trading',
  tickSize: D('0.5'), stepSize: D('1'), minQty: D('1'), precision: { price: 1, amount: 0 },
};
const limit = (amount: string, price: string, extra: Partial<OrderRequest> = {}): OrderRequest => ({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: D(amount), price: D(price), ...extra });

function refusedBy(fn: () => void, rule: RegExp): boolean {
  try {
    fn();
  } catch (e) {
    return VenueError.is(e, 'invalid-argument') && rule.test(e.message);
  }
  return false;
}

test('accepts an order that meets every filter', () => {
  validateAgainstMarket(spot, limit('0.001', '65000.01'));
  validateAgainstMarket(spot, { symbol: 'BTC/USDT', side: 'sell', type: 'market', amount: D('0.5') }, D('65000'));
});

test('refuses off-tick prices, off-step sizes, and sizes or notionals outside the limits, naming the filter', () => {
  assert.ok(refusedBy(() => validateAgainstMarket(spot, limit('0.001', '65000.015')), /tick size/));
  assert.ok(refusedBy(() => validateAgainstMarket(spot, limit('0.000015', '65000')), /step size/));
  assert.ok(refusedBy(() => validateAgainstMarket(spot, limit('0.00001', '65000')), /min notional: notional 0\.65/));
  assert.ok(refusedBy(() => validateAgainstMarket(spot, limit('9000.00001', '1')), /max quantity/));
  assert.ok(refusedBy(() => validateAgainstMarket(spot, { symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: D('101') }, D('65000')), /max quantity: amount 101 > 100/), 'market orders use the market-order lot size');
  assert.ok(refusedBy(() => validateAgainstMarket(spot, { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: D('1') }), /needs a price/));
  assert.ok(refusedBy(() => validateAgainstMarket(spot, { symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: D('1'), postOnly: true }), /limit orders only/));
  assert.ok(refusedBy(() => validateAgainstMarket(spot, limit('0', '65000')), /must be positive/));
});

test('values inverse contracts in contracts, linear ones in base × price', () => {
  assert.equal(notionalOf(spot, limit('0.5', '100'))?.toString(), '50.0');
  assert.equal(notionalOf(inverse, { symbol: 'BTC/USD:BTC', side: 'buy', type: 'limit', amount: D('10'), price: D('65000') })?.toString(), '650000');
  validateAgainstMarket(inverse, { symbol: 'BTC/USD:BTC', side: 'buy', type: 'limit', amount: D('10'), price: D('65000.5') });
  assert.ok(refusedBy(() => validateAgainstMarket(inverse, { symbol: 'BTC/USD:BTC', side: 'buy', type: 'limit', amount: D('1.5'), price: D('65000') }), /step size/));
});

test('risk checks refuse with the first objection, fail closed, and can be removed', () => {
  const risk = new RiskChecks();
  risk.add(maxQuantity('2'));
  const removeNotional = risk.add(maxNotional('100000'));
  risk.add(priceBand('0.05'));
  const ctx = (order: OrderRequest, lastPrice?: string) => ({ order, market: spot, ...(lastPrice === undefined ? {} : { lastPrice: D(lastPrice) }) });
  risk.run(ctx(limit('1', '65000'), '65000'));
  assert.throws(() => risk.run(ctx(limit('3', '65000'), '65000')), (e) => VenueError.is(e, 'rejected') && /"max quantity".*amount 3 > 2/.test(e.message));
  assert.throws(() => risk.run(ctx(limit('1.9', '65000'), '65000')), /"max notional".*123500\.0 > 100000/);
  assert.throws(() => risk.run(ctx(limit('0.1', '70000'), '65000')), /"price band".*outside 61750\.00 \.\. 68250\.00/);
  assert.throws(() => risk.run(ctx(limit('0.1', '65000'))), /no last price/, 'no reference price: refused, not waved through');
  removeNotional();
  assert.deepEqual(risk.names, ['max quantity', 'price band']);
  risk.run(ctx(limit('1.9', '65000'), '65000'));
  risk.add({ name: 'broken', check: () => { throw new Error('boom'); } });
  assert.throws(() => risk.run(ctx(limit('1', '65000'), '65000')), /"broken".*check failed: boom/);
});
