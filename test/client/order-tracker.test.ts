/** The order tracker tells every fill once, even of an order it cannot model, and hands on the problems a report carried. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderTracker, type TrackedChange } from '../../src/client/order-tracker.js';
import { Decimal } from '../../src/core/decimal.js';
import type { Fill, OrderReport } from '../../src/core/orders/order-model.js';
import { decodeProblem, type DecodeProblem } from '../../src/core/problems.js';

const D = (s: string): Decimal => Decimal.from(s);
const fill: Fill = { venue: 'okx', symbol: 'BTC/USDT', tradeId: 't1', orderId: 'o1', side: 'buy', price: D('100'), amount: D('0.5'), exchangeTime: 2, receivedAt: 3 };
const odd = decodeProblem('okx', 'data[0].ordType', 'smart_twap', 'an unknown order type passed through as venueType');
/** A report of an order placed elsewhere whose type venuekit does not model (no `type`: it cannot be tracked). */
const unmodelled: OrderReport = { venue: 'okx', symbol: 'BTC/USDT', orderId: 'o1', status: 'filled', filled: D('0.5'), side: 'buy', amount: D('0.5'), venueType: 'smart_twap', fill, problems: [odd], exchangeTime: 2, receivedAt: 3, source: 'stream' };

test('the fill of an order that cannot be modelled is told once; the report problem goes to problem listeners', () => {
  const tracker = new OrderTracker();
  const changes: TrackedChange[] = [];
  const problems: DecodeProblem[] = [];
  tracker.listen((c) => changes.push(c));
  tracker.listenProblems((p) => problems.push(p));
  assert.equal(tracker.applyReport(unmodelled), undefined);
  tracker.applyReport(unmodelled);
  assert.deepEqual(changes.map((c) => [c.order, c.newFills.map((f) => f.tradeId)]), [[undefined, ['t1']]]);
  assert.deepEqual(problems, [odd, odd], 'each report told its problem');
  assert.deepEqual(tracker.orphanOrderIds('BTC/USDT'), ['o1'], 'kept for when the order is known');
  // Once a report makes the order known, the fill counts on it, without being told again.
  const known = tracker.applyReport({ ...unmodelled, type: 'limit', fill: undefined, problems: undefined });
  assert.equal(known?.order?.filled.toString(), '0.5');
  assert.equal(known?.order?.fills.length, 1);
  assert.equal(changes.at(-1)?.newFills.length, 0);
});
