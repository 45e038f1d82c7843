/** The order state machine (ORDR-07/09): valid transitions only, any arrival order, fills counted once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../../src/core/decimal.js';
import type { Fill, Order, OrderReport, ReportedStatus } from '../../../src/core/orders/order-model.js';
import { applyFill, applyReport, canTransition, cancelRefused, markCancelling, markOutcomeUnknown, orderFromReport, pendingOrder } from '../../../src/core/orders/order-state.js';

const D = (s: string) => Decimal.from(s);
const placed = (): Order => pendingOrder('binance', { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: D('1.5'), price: D('100.10') }, 'cid-1', 1_000);

function fill(tradeId: string, amount: string, price = '100.10', fee = '0.001'): Fill {
  return { venue: 'binance', symbol: 'BTC/USDT', tradeId, orderId: '42', side: 'buy', price: D(price), amount: D(amount), fee: D(fee), feeCurrency: 'BNB', exchangeTime: 2_000, receivedAt: 2_001 };
}

function report(status: ReportedStatus, filled: string, extra: Partial<OrderReport> = {}): OrderReport {
  return { venue: 'binance', symbol: 'BTC/USDT', orderId: '42', clientOrderId: 'cid-1', status, filled: D(filled), exchangeTime: 2_000, receivedAt: 2_001, source: 'stream', ...extra };
}

test('follows an order from pending-new through partial fills to filled, averaging the fills exactly', () => {
  let o = placed();
  o = applyReport(o, report('new', '0', { source: 'rest' })).order;
  assert.equal(o.status, 'new');
  assert.equal(o.id, '42');
  o = applyReport(o, report('partially-filled', '0.5', { fill: fill('t1', '0.5', '100.10') })).order;
  assert.equal(o.status, 'partially-filled');
  const last = applyReport(o, report('filled', '1.5', { fill: fill('t2', '1', '100.00') }));
  o = last.order;
  assert.equal(o.status, 'filled');
  assert.equal(o.filled.toString(), '1.5');
  assert.equal(o.remaining.toString(), '0.0', 'amount − filled, at the amount\'s scale');
  // (0.5 × 100.10 + 1 × 100.00) / 1.5, to the price scale + 4 digits
  assert.equal(o.average?.toString(), '100.033333');
  assert.equal(o.fees['BNB']?.toString(), '0.002');
  assert.deepEqual(last.newFills.map((f) => f.tradeId), ['t2']);
});

test('never moves a filled order back to new or partially-filled, whatever arrives late', () => {
  let o = applyReport(placed(), report('filled', '1.5', { fill: fill('t1', '1.5') })).order;
  for (const late of [report('new', '0', { source: 'rest' }), report('partially-filled', '0.5'), report('cancelled', '0.5')]) {
    const r = applyReport(o, late);
    assert.equal(r.order.status, 'filled');
    assert.equal(r.order.filled.toString(), '1.5');
    assert.ok(r.ignored !== undefined || !r.changed);
    o = r.order;
  }
});

test('counts a fill seen twice (stream and REST, or a redelivered event) exactly once', () => {
  let o = applyReport(placed(), report('new', '0')).order;
  const first = applyFill(o, fill('t1', '0.5'));
  o = first.order;
  const again = applyFill(o, fill('t1', '0.5'));
  assert.equal(again.changed, false);
  assert.deepEqual(again.newFills, []);
  const viaReport = applyReport(o, report('partially-filled', '0.5', { fill: fill('t1', '0.5') }));
  assert.deepEqual(viaReport.newFills, []);
  assert.equal(viaReport.order.filled.toString(), '0.5');
  assert.equal(viaReport.order.fills.length, 1);
  assert.equal(viaReport.order.fees['BNB']?.toString(), '0.001');
});

test('ends in the same state whatever order the same events arrive in (every permutation)', () => {
  const events: Array<(o: Order) => Order> = [
    (o) => applyReport(o, report('new', '0', { source: 'rest' })).order,
    (o) => applyReport(o, report('new', '0')).order,
    (o) => applyReport(o, report('partially-filled', '0.5', { fill: fill('t1', '0.5') })).order,
    (o) => applyFill(o, fill('t2', '0.25')).order,
    (o) => applyReport(o, report('partially-filled', '0.75', { fill: fill('t2', '0.25') })).order,
    (o) => applyReport(o, report('filled', '1.5', { fill: fill('t3', '0.75') })).order,
  ];
  const permutations = (n: number): number[][] => (n === 1 ? [[0]] : permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
  let count = 0;
  for (const perm of permutations(events.length)) {
    let o = placed();
    const statuses: string[] = [];
    for (const i of perm) {
      const before = o.filled;
      o = (events[i] as (x: Order) => Order)(o);
      assert.ok(o.filled.gte(before), 'filled never decreases');
      statuses.push(o.status);
    }
    assert.equal(o.status, 'filled', `order ${perm.join(',')}`);
    assert.equal(o.filled.toString(), '1.5');
    assert.deepEqual(o.fills.map((f) => f.tradeId).sort(), ['t1', 't2', 't3']);
    assert.equal(o.fees['BNB']?.toString(), '0.003');
    const after = statuses.slice(statuses.indexOf('filled'));
    assert.ok(after.every((s) => s === 'filled'), `nothing after filled: ${statuses.join(' → ')}`);
    count++;
  }
  assert.equal(count, 720);
});

test('keeps pending-cancel while the venue still reports the order live, and counts fills meanwhile', () => {
  let o = applyReport(placed(), report('new', '0')).order;
  o = markCancelling(o);
  assert.equal(o.status, 'pending-cancel');
  o = applyReport(o, report('partially-filled', '0.5', { fill: fill('t1', '0.5') })).order;
  assert.equal(o.status, 'pending-cancel');
  assert.equal(o.filled.toString(), '0.5');
  o = applyReport(o, report('cancelled', '0.5')).order;
  assert.equal(o.status, 'cancelled');
  assert.equal(o.remaining.toString(), '1.0', 'amount − filled, as in ccxt: the part the cancel took back');
});

test('a refused cancel returns the order to what its fills say', () => {
  let o = applyReport(placed(), report('partially-filled', '0.5', { fill: fill('t1', '0.5') })).order;
  o = cancelRefused(markCancelling(o));
  assert.equal(o.status, 'partially-filled');
  assert.throws(() => markCancelling(applyReport(o, report('filled', '1.5')).order), /already filled/);
});

test('a late fill that completes a cancelled order makes it filled (the cancel lost the race)', () => {
  let o = applyReport(placed(), report('partially-filled', '1', { fill: fill('t1', '1') })).order;
  o = applyReport(o, report('cancelled', '1')).order;
  assert.equal(o.status, 'cancelled');
  const late = applyFill(o, fill('t2', '0.5'));
  assert.equal(late.order.status, 'filled');
  assert.equal(late.order.filled.toString(), '1.5');
});

test('an outcome-unknown placement is resolved by the first report about it', () => {
  const o = markOutcomeUnknown(placed());
  assert.equal(o.outcomeUnknown, true);
  assert.equal(o.status, 'pending-new');
  const resolved = applyReport(o, report('new', '0', { source: 'rest' }));
  assert.equal(resolved.changed, true);
  assert.equal(resolved.order.outcomeUnknown, false);
  assert.equal(resolved.order.status, 'new');
});

test('refuses transitions outside the lifecycle', () => {
  assert.equal(canTransition('filled', 'new'), false);
  assert.equal(canTransition('cancelled', 'partially-filled'), false);
  assert.equal(canTransition('rejected', 'new'), false);
  assert.equal(canTransition('partially-filled', 'new'), false);
  assert.equal(canTransition('pending-new', 'rejected'), true);
  assert.equal(canTransition('cancelled', 'filled'), true);
});

test('builds an order the client did not place from a complete venue report, and refuses an incomplete one', () => {
  const o = orderFromReport(report('partially-filled', '0.5', { side: 'sell', type: 'limit', amount: D('2'), price: D('101') }));
  assert.equal(o.status, 'partially-filled');
  assert.equal(o.remaining.toString(), '1.5');
  assert.throws(() => orderFromReport(report('new', '0')), /lacks side, type or amount/);
});

test('an answer carrying several fills (Binance FULL) adds each once, and the stream repeating them adds nothing', () => {
  const r = applyReport(placed(), report('filled', '1.5', { source: 'rest', fills: [fill('t1', '0.5', '100.10'), fill('t2', '1', '100.00')] }));
  assert.deepEqual(r.newFills.map((f) => f.tradeId), ['t1', 't2']);
  assert.equal(r.order.status, 'filled');
  const again = applyReport(r.order, report('filled', '1.5', { fill: fill('t2', '1', '100.00') }));
  assert.equal(again.newFills.length, 0);
  assert.equal(again.order.fills.length, 2);
  assert.equal(again.order.fees['BNB']?.toString(), '0.002');
});

test('remaining is amount − filled in every state, final ones included (ccxt): what the venue never filled', () => {
  const ioc = (): Order => pendingOrder('binance', { symbol: 'BTC/USDT', side: 'buy', type: 'limit', amount: D('1.5'), price: D('100.10'), timeInForce: 'IOC' }, 'cid-1', 1_000);
  // An IOC that took what the book had and expired with the rest.
  const expired = applyReport(ioc(), report('expired', '0.6', { fill: fill('t1', '0.6') })).order;
  assert.equal(expired.status, 'expired');
  assert.equal(expired.filled.toString(), '0.6');
  assert.equal(expired.remaining.toString(), '0.9');
  // The same end reached through a partial report first.
  let o = applyReport(ioc(), report('partially-filled', '0.6', { fill: fill('t1', '0.6') })).order;
  assert.equal(o.remaining.toString(), '0.9');
  o = applyReport(o, report('expired', '0.6')).order;
  assert.equal(o.remaining.toString(), '0.9');
  const untouched: Array<[ReportedStatus, string]> = [['new', '1.5'], ['cancelled', '1.5'], ['rejected', '1.5'], ['expired', '1.5']];
  for (const [status, remaining] of untouched) {
    const r = applyReport(placed(), report(status, '0', { source: 'rest' })).order;
    assert.equal(r.status, status);
    assert.equal(r.remaining.toString(), remaining, status);
  }
  // A late fill completing an expired order: filled, nothing remaining.
  const completed = applyFill(expired, fill('t2', '0.9')).order;
  assert.equal(completed.status, 'filled');
  assert.ok(completed.remaining.isZero(), completed.remaining.toString());
  // An order the client did not place, first seen cancelled half filled.
  const foreign = orderFromReport(report('cancelled', '0.5', { side: 'sell', type: 'limit', amount: D('2'), price: D('101') }));
  assert.equal(foreign.status, 'cancelled');
  assert.equal(foreign.remaining.toString(), '1.5');
});

test('the venue status follows the newest report taken, survives fills alone, and a stale report does not touch it', () => {
  let o = applyReport(placed(), report('new', '0', { venueStatus: 'NEW_ADL' })).order;
  assert.equal(o.venueStatus, 'NEW_ADL');
  o = applyFill(o, fill('t1', '0.5')).order;
  assert.equal(o.status, 'partially-filled');
  assert.equal(o.venueStatus, 'NEW_ADL', 'a fill on its own says nothing about the status');
  o = applyReport(o, report('partially-filled', '0.5')).order;
  assert.equal(o.venueStatus, undefined, 'a newer report without one clears it');
  const cancelled = applyReport(o, report('cancelled', '0.5', { venueStatus: 'CANCELED_BY_ADL' })).order;
  const stale = applyReport(cancelled, report('new', '0', { venueStatus: 'SOMETHING' }));
  assert.ok(stale.ignored !== undefined);
  assert.equal(stale.order.venueStatus, 'CANCELED_BY_ADL');
});

test('an order known only from a report of a type venuekit does not model keeps the raw type', () => {
  const o = orderFromReport({ ...report('new', '0'), side: 'buy', type: 'limit', amount: D('1'), venueType: 'LIMIT_CHASE' });
  assert.equal(o.venueType, 'LIMIT_CHASE');
  assert.throws(() => orderFromReport({ ...report('new', '0'), side: 'buy', amount: D('1'), venueType: 'LIMIT_CHASE' }));
});
