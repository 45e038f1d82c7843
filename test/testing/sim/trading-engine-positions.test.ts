/** The simulator's trading engine on derivatives: one-way positions, margin, realized and unrealized PnL, inverse contracts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { Decimal } from '../../../src/core/decimal.js';
import { SimRejection, type SimPosition, type SimRejectReason } from '../../../src/testing/index.js';
import { A, B, d, free, locked, px, qty, rig, setBook, type Rig } from './trading-engine-helpers.js';

const L = 'BTC/USDT:USDT';
const I = 'BTC/USD:BTC';

function rejects(fn: () => unknown, reason: SimRejectReason): void {
  assert.throws(fn, (err: unknown) => err instanceof SimRejection && err.reason === reason);
}

describe('trading engine, derivatives', () => {
  let r: Rig;
  let n = 0;
  const order = (apiKey: string, symbol: string, side: 'buy' | 'sell', q: string, p: string, reduceOnly = false) =>
    r.engine.place({ apiKey, symbol, side, type: 'limit', qtyUnits: qty(r, symbol, q), priceUnits: px(r, symbol, p), clientOrderId: `p${++n}`, reduceOnly });
  const pos = (apiKey: string, symbol: string): SimPosition => {
    const p = r.engine.positions(apiKey).find((x) => x.symbol === symbol);
    assert.ok(p, `no position on ${symbol}`);
    return p;
  };

  beforeEach(() => {
    r = rig();
  });

  test('linear: open long, add (average entry), partial close with realized PnL, flip to short; margin and fees exact', () => {
    setBook(r, L, [['64990', '5']], [['65000', '5']]);
    order(A, L, 'buy', '0.1', '65000');
    let p = pos(A, L);
    assert.equal(p.sizeUnits, qty(r, L, '0.1'));
    assert.equal(d(p.entryPrice), '65000');
    assert.equal(d(p.margin), '650');
    assert.equal(free(r, A, 'USDT'), '99346.75'); // 650 margin + 3.25 taker fee on 6500 notional
    assert.equal(locked(r, A, 'USDT'), '0');

    setBook(r, L, [['65990', '5']], [['66000', '5']]);
    order(A, L, 'buy', '0.1', '66000');
    p = pos(A, L);
    assert.equal(p.sizeUnits, qty(r, L, '0.2'));
    assert.equal(d(p.entryPrice), '65500');
    assert.equal(d(p.margin), '1310');
    assert.equal(free(r, A, 'USDT'), '98683.45');

    setBook(r, L, [['67000', '5']], [['67010', '5']]);
    order(A, L, 'sell', '0.1', '67000');
    p = pos(A, L);
    assert.equal(p.sizeUnits, qty(r, L, '0.1'));
    assert.equal(d(p.entryPrice), '65500', 'a reduce keeps the entry');
    assert.equal(d(p.realizedPnl), '150');
    assert.equal(d(p.margin), '655');
    assert.equal(free(r, A, 'USDT'), '99485.1'); // + 655 margin back + 150 PnL - 3.35 fee

    order(A, L, 'sell', '0.3', '67000');
    p = pos(A, L);
    assert.equal(p.sizeUnits, -qty(r, L, '0.2'));
    assert.equal(d(p.entryPrice), '67000');
    assert.equal(d(p.realizedPnl), '300');
    assert.equal(d(p.margin), '1340');
    assert.equal(free(r, A, 'USDT'), '98940.05');
    // Conservation: free + margin = start + realized - fees.
    const fees = r.engine.fills(A, L).reduce((s, f) => s.add(f.fee), Decimal.ZERO);
    assert.equal(d(fees), '19.95');
    assert.equal(d(Decimal.from(free(r, A, 'USDT')).add(p.margin)), d(Decimal.from('100000').add('300').sub(fees)));

    setBook(r, L, [['66000', '5']], [['66000.2', '5']]);
    p = pos(A, L);
    assert.equal(d(p.markPrice), '66000.1');
    assert.equal(d(p.unrealizedPnl), '199.98');
  });

  test('reduce-only: refused when it would increase or flip; a reducing one locks no margin', () => {
    setBook(r, L, [['64990', '5']], [['65000', '5']]);
    rejects(() => order(A, L, 'buy', '0.1', '60000', true), 'reduce-only-would-increase');
    order(A, L, 'buy', '0.2', '65000');
    rejects(() => order(A, L, 'buy', '0.1', '60000', true), 'reduce-only-would-increase');
    rejects(() => order(A, L, 'sell', '0.3', '70000', true), 'reduce-only-would-increase');
    const before = free(r, A, 'USDT');
    const ro = order(A, L, 'sell', '0.2', '70000', true).order;
    assert.equal(ro.status, 'new');
    assert.equal(ro.reduceOnly, true);
    assert.equal(free(r, A, 'USDT'), before);
    assert.equal(locked(r, A, 'USDT'), '0');
    const plain = order(A, L, 'sell', '0.1', '70000').order; // not reduce-only: locks initial margin at its price
    assert.equal(plain.status, 'new');
    assert.equal(locked(r, A, 'USDT'), '700');
  });

  test('a short from a resting order filled by the market, then closed with a loss', () => {
    setBook(r, L, [['64990', '5']], [['65000', '5']]);
    order(A, L, 'sell', '0.5', '64995'); // rests inside the spread
    assert.equal(locked(r, A, 'USDT'), '3249.75');
    r.market.executeTaker(L, 'buy', qty(r, L, '0.5'));
    let p = pos(A, L);
    assert.equal(p.sizeUnits, -qty(r, L, '0.5'));
    assert.equal(d(p.entryPrice), '64995');
    assert.equal(locked(r, A, 'USDT'), '0');
    assert.equal(d(r.engine.fills(A)[0]?.fee ?? '0'), '6.4995'); // maker 0.0002 x 32497.5
    setBook(r, L, [['65990', '5']], [['66000', '5']]);
    order(A, L, 'buy', '0.5', '66000');
    p = pos(A, L);
    assert.equal(p.sizeUnits, 0);
    assert.equal(d(p.entryPrice), '0');
    assert.equal(d(p.margin), '0');
    assert.equal(d(p.realizedPnl), '-502.5');
    assert.equal(free(r, A, 'USDT'), d(Decimal.from('100000').sub('502.5').sub('6.4995').sub('16.5')));
  });

  test('inverse: PnL in the base currency, positive for a long into a rise and negative for a short', () => {
    setBook(r, I, [['59999.5', '100000']], [['60000', '100000']]);
    order(A, I, 'buy', '1000', '60000');
    let p = pos(A, I);
    assert.equal(p.sizeUnits, 1000);
    // Margin: 1000 USD of contracts / 60000 / 10 leverage, in BTC.
    assert.ok(p.margin.gt('0.0016666666') && p.margin.lt('0.0016666667'), p.margin.toString());
    r.engine.place({ apiKey: B, symbol: I, side: 'sell', type: 'market', qtyUnits: 1000, clientOrderId: 'b1' });
    assert.equal(pos(B, I).sizeUnits, -1000);
    assert.equal(d(pos(B, I).entryPrice), '59999.5');

    setBook(r, I, [['66000', '100000']], [['66000.5', '100000']]);
    assert.ok(pos(A, I).unrealizedPnl.isPositive());
    assert.ok(pos(B, I).unrealizedPnl.isNegative());
    order(A, I, 'sell', '1000', '66000');
    r.engine.place({ apiKey: B, symbol: I, side: 'buy', type: 'market', qtyUnits: 1000, clientOrderId: 'b2' });
    p = pos(A, I);
    assert.equal(p.sizeUnits, 0);
    // 1000/60000 - 1000/66000 = 0.00151515...
    assert.ok(p.realizedPnl.gt('0.0015151515') && p.realizedPnl.lt('0.0015151516'), p.realizedPnl.toString());
    const b = pos(B, I);
    assert.ok(b.realizedPnl.lt('-0.0015151') && b.realizedPnl.gt('-0.0015155'), b.realizedPnl.toString());
    for (const key of [A, B]) {
      const fees = r.engine.fills(key, I).reduce((s, f) => s.add(f.fee), Decimal.ZERO);
      assert.ok(fees.isPositive());
      assert.equal(r.engine.fills(key, I)[0]?.feeCurrency, 'BTC');
      assert.equal(free(r, key, 'BTC'), d(Decimal.from('2').add(pos(key, I).realizedPnl).sub(fees)), `${key} BTC = start + PnL - fees`);
      assert.equal(locked(r, key, 'BTC'), '0');
    }
  });

  test('inverse average entry is the harmonic mean of the fill prices', () => {
    setBook(r, I, [['59999.5', '100000']], [['60000', '100000']]);
    order(A, I, 'buy', '1000', '60000');
    setBook(r, I, [['65999.5', '100000']], [['66000', '100000']]);
    order(A, I, 'buy', '1000', '66000');
    const e = pos(A, I).entryPrice; // 2000 / (1000/60000 + 1000/66000) = 62857.142857...
    assert.ok(e.gt('62857.1428') && e.lt('62857.1429'), e.toString());
  });

  test('leverage sets the initial margin', () => {
    setBook(r, L, [['64990', '5']], [['65000', '5']]);
    r.engine.setLeverage(B, L, 20);
    order(B, L, 'buy', '0.1', '65000');
    assert.equal(d(pos(B, L).margin), '325');
    assert.equal(pos(B, L).leverage, 20);
  });

  test('events of a fill on a derivative: order new, order filled with the fill, balance, position', () => {
    setBook(r, L, [['64990', '5']], [['65000', '5']]);
    const events = r.events.get(A) ?? [];
    order(A, L, 'buy', '0.1', '65000');
    assert.deepEqual(events.map((e) => (e.kind === 'order' ? `order:${e.order.status}${e.fill ? ':fill' : ''}` : e.kind)), ['order:new', 'order:filled:fill', 'balance', 'position']);
    const last = events[3];
    assert.ok(last?.kind === 'position');
    assert.equal(last.position.sizeUnits, qty(r, L, '0.1'));
    const bal = events[2];
    assert.ok(bal?.kind === 'balance');
    assert.deepEqual(bal.balances.map((b) => b.currency), ['USDT']);
    assert.deepEqual(r.engine.positions(B), [], 'no position before a fill');
  });
});
