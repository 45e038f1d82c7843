/** The simulator's trading engine on spot: resting and crossing orders, sweeps, IOC/FOK/GTX, cancels, balances, events. */
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { Decimal } from '../../../src/core/decimal.js';
import { SimRejection, type SimRejectReason } from '../../../src/testing/index.js';
import { A, B, C, d, free, levels, locked, px, qty, rig, setBook, type Rig } from './trading-engine-helpers.js';

const S = 'BTC/USDT';

function rejects(fn: () => unknown, reason: SimRejectReason): void {
  assert.throws(fn, (err: unknown) => err instanceof SimRejection && err.reason === reason);
}

describe('trading engine, spot', () => {
  let r: Rig;
  let seq = 0;
  const limit = (apiKey: string, side: 'buy' | 'sell', q: string, p: string, extra: { tif?: 'GTC' | 'IOC' | 'FOK' | 'GTX'; cid?: string } = {}) =>
    r.engine.place({ apiKey, symbol: S, side, type: 'limit', qtyUnits: qty(r, S, q), priceUnits: px(r, S, p), clientOrderId: extra.cid ?? `c${++seq}`, ...(extra.tif ? { timeInForce: extra.tif } : {}) });
  const market = (apiKey: string, side: 'buy' | 'sell', q: string) => r.engine.place({ apiKey, symbol: S, side, type: 'market', qtyUnits: qty(r, S, q), clientOrderId: `m${++seq}` });

  beforeEach(() => {
    r = rig();
    setBook(r, S, [['64999', '0.01'], ['64998', '0.02'], ['64997', '0.03']], [['65001', '0.01'], ['65002', '0.02'], ['65003', '0.03']]);
  });

  test('a limit order that does not cross rests, locks price x qty of quote and leaves the public book alone', () => {
    const before = r.market.snapshot(S);
    const { order, fills } = limit(A, 'buy', '0.01', '64000');
    assert.equal(order.status, 'new');
    assert.equal(fills.length, 0);
    assert.deepEqual(r.engine.openOrders(A, S).map((o) => o.orderId), [order.orderId]);
    assert.equal(locked(r, A, 'USDT'), '640');
    assert.equal(free(r, A, 'USDT'), '99360');
    assert.deepEqual(r.market.snapshot(S), before);
  });

  test('a crossing limit sweeps levels at their prices, rests the remainder, and the public book and tape show the sweep', () => {
    const changes: number[] = [];
    r.market.listen({ bookChange: (c) => changes.push(c.asks.length) });
    const tapeBefore = r.market.tape(S).recentTrades(1000).length;
    const { order, fills } = limit(A, 'buy', '0.05', '65002');
    assert.deepEqual(fills.map((f) => [f.priceUnits, f.qtyUnits, f.liquidity]), [[px(r, S, '65001'), qty(r, S, '0.01'), 'taker'], [px(r, S, '65002'), qty(r, S, '0.02'), 'taker']]);
    assert.equal(order.status, 'partially-filled');
    assert.equal(order.filledUnits, qty(r, S, '0.03'));
    assert.equal(d(order.cumQuote), '1950.05');
    assert.deepEqual(r.engine.openOrders(A).map((o) => o.orderId), [order.orderId]);
    assert.deepEqual(levels(r, S, 'asks'), ['65003x0.03']);
    assert.deepEqual(changes, [2], 'one depth change removing both levels');
    const tape = r.market.tape(S).recentTrades(1000).slice(tapeBefore);
    assert.deepEqual(tape.map((t) => [t.price, t.qty, t.takerSide]), [[px(r, S, '65001'), qty(r, S, '0.01'), 'buy'], [px(r, S, '65002'), qty(r, S, '0.02'), 'buy']]);
    // Balances: the remainder stays locked at the limit, the fills spent exactly their price x qty.
    assert.equal(locked(r, A, 'USDT'), '1300.04');
    assert.equal(free(r, A, 'USDT'), d(Decimal.from('100000').sub('1950.05').sub('1300.04')));
    assert.equal(free(r, A, 'BTC'), d(Decimal.from('2').add('0.03').sub('0.000015')));
    assert.equal(d(fills[0]?.fee ?? '1'), '0.000005');
    assert.equal(fills[0]?.feeCurrency, 'BTC');
    // Cancel: the lock comes back, quote spent = sum(price x qty) exactly.
    r.engine.cancel(A, S, { orderId: order.orderId });
    assert.equal(locked(r, A, 'USDT'), '0');
    assert.equal(free(r, A, 'USDT'), '98049.95');
  });

  test('a buy filled below its limit releases the difference; a sell receives quote minus the fee', () => {
    limit(A, 'buy', '0.01', '65100');
    assert.equal(locked(r, A, 'USDT'), '0');
    assert.equal(free(r, A, 'USDT'), '99349.99');
    const { fills } = limit(A, 'sell', '0.03', '64998');
    assert.deepEqual(fills.map((f) => f.priceUnits), [px(r, S, '64999'), px(r, S, '64998')]);
    const proceeds = Decimal.from('649.99').add('1299.96');
    assert.equal(free(r, A, 'USDT'), d(Decimal.from('99349.99').add(proceeds).sub(proceeds.mul('0.0005'))));
    assert.equal(free(r, A, 'BTC'), d(Decimal.from('2').add('0.01').sub('0.000005').sub('0.03')));
    assert.equal(locked(r, A, 'BTC'), '0');
  });

  test('market orders sweep until filled; a remainder beyond the book expires; an empty side is no-liquidity', () => {
    const sell = market(A, 'sell', '0.04');
    assert.equal(sell.order.status, 'filled');
    assert.deepEqual(sell.fills.map((f) => [f.priceUnits, f.qtyUnits]), [[px(r, S, '64999'), qty(r, S, '0.01')], [px(r, S, '64998'), qty(r, S, '0.02')], [px(r, S, '64997'), qty(r, S, '0.01')]]);
    assert.deepEqual(levels(r, S, 'bids'), ['64997x0.02']);
    const buy = market(A, 'buy', '0.1');
    assert.equal(buy.order.status, 'expired');
    assert.equal(buy.order.filledUnits, qty(r, S, '0.06'));
    assert.deepEqual(levels(r, S, 'asks'), []);
    assert.equal(locked(r, A, 'USDT'), '0');
    assert.equal(locked(r, A, 'BTC'), '0');
    rejects(() => market(A, 'buy', '0.01'), 'no-liquidity');
    assert.equal(r.engine.orders(A).length, 2, 'the refused market order does not exist');
  });

  test('a market buy needs the sweep cost in free quote', () => {
    r.engine.addAccount({ apiKey: C, secret: 's', balances: { USDT: '1000' } });
    rejects(() => market(C, 'buy', '0.02'), 'insufficient-balance'); // 650.01 + 650.02 > 1000
    assert.deepEqual(levels(r, S, 'asks'), ['65001x0.01', '65002x0.02', '65003x0.03']);
    const ok = market(C, 'buy', '0.01');
    assert.equal(ok.order.status, 'filled');
    assert.equal(free(r, C, 'USDT'), '349.99');
  });

  test('IOC fills what it can and expires the rest, releasing its lock', () => {
    const { order, fills } = limit(A, 'buy', '0.02', '65001', { tif: 'IOC' });
    assert.equal(fills.length, 1);
    assert.equal(order.status, 'expired');
    assert.equal(order.filledUnits, qty(r, S, '0.01'));
    assert.equal(locked(r, A, 'USDT'), '0');
    assert.equal(free(r, A, 'USDT'), '99349.99');
    assert.deepEqual(r.engine.openOrders(A), []);
  });

  test('FOK expires without a fill unless the whole quantity is there at the limit', () => {
    const before = r.market.snapshot(S);
    const miss = limit(A, 'buy', '0.05', '65002', { tif: 'FOK' });
    assert.equal(miss.order.status, 'expired');
    assert.equal(miss.fills.length, 0);
    assert.deepEqual(r.market.snapshot(S), before);
    assert.equal(free(r, A, 'USDT'), '100000');
    const hit = limit(A, 'buy', '0.03', '65002', { tif: 'FOK' });
    assert.equal(hit.order.status, 'filled');
    assert.equal(hit.fills.length, 2);
  });

  test('GTX that would take expires with post-only-would-take; one that does not rests', () => {
    const before = r.market.snapshot(S);
    const taking = limit(A, 'buy', '0.01', '65001', { tif: 'GTX' });
    assert.equal(taking.order.status, 'expired');
    assert.equal(taking.order.rejectReason, 'post-only-would-take');
    assert.deepEqual(r.market.snapshot(S), before);
    assert.equal(locked(r, A, 'USDT'), '0');
    const resting = limit(A, 'buy', '0.01', '65000', { tif: 'GTX' });
    assert.equal(resting.order.status, 'new');
    assert.equal(resting.order.rejectReason, undefined);
  });

  test('cancel by order id and by client order id; closed and unknown orders are refused', () => {
    const a = limit(A, 'buy', '0.01', '60000', { cid: 'one' }).order;
    const b = limit(A, 'sell', '0.01', '70000', { cid: 'two' }).order;
    assert.equal(locked(r, A, 'BTC'), '0.01');
    assert.equal(r.engine.cancel(A, S, { orderId: a.orderId }).status, 'cancelled');
    const cb = r.engine.cancel(A, S, { clientOrderId: 'two' });
    assert.equal(cb.orderId, b.orderId);
    assert.equal(locked(r, A, 'BTC'), '0');
    assert.equal(free(r, A, 'BTC'), '2');
    assert.equal(free(r, A, 'USDT'), '100000');
    rejects(() => r.engine.cancel(A, S, { orderId: a.orderId }), 'order-closed');
    rejects(() => r.engine.cancel(A, S, { orderId: '42' }), 'unknown-order');
    rejects(() => r.engine.cancel(B, S, { orderId: b.orderId }), 'unknown-order');
    assert.equal(r.engine.order(A, S, { clientOrderId: 'one' })?.status, 'cancelled');
  });

  test('a client order id is unique among open orders only', () => {
    limit(A, 'buy', '0.01', '60000', { cid: 'dup' });
    rejects(() => limit(A, 'buy', '0.02', '60000', { cid: 'dup' }), 'duplicate-client-order-id');
    assert.equal(r.engine.orders(A).length, 1);
    assert.equal(locked(r, A, 'USDT'), '600');
    limit(B, 'buy', '0.01', '60000', { cid: 'dup' }); // another account may use it
    r.engine.cancel(A, S, { clientOrderId: 'dup' });
    assert.equal(limit(A, 'buy', '0.01', '60000', { cid: 'dup' }).order.status, 'new');
  });

  test('insufficient balance and invalid orders are refused and change nothing', () => {
    r.engine.addAccount({ apiKey: C, secret: 's', balances: { USDT: '100', BTC: '0.001' } });
    rejects(() => limit(C, 'buy', '0.01', '64000'), 'insufficient-balance');
    rejects(() => limit(C, 'sell', '0.01', '70000'), 'insufficient-balance');
    assert.equal(free(r, C, 'USDT'), '100');
    assert.deepEqual(r.engine.orders(C), []);
    const t = 'TST/USDT'; // tick 0.05, step 0.5, min 1.0
    const place = (q: number, p?: number) => r.engine.place({ apiKey: A, symbol: t, side: 'buy', type: 'limit', qtyUnits: q, ...(p === undefined ? {} : { priceUnits: p }), clientOrderId: `v${q}-${p}` });
    rejects(() => place(15, 902), 'invalid-price');
    rejects(() => place(15, 0), 'invalid-price');
    rejects(() => place(15), 'invalid-price');
    rejects(() => place(12, 900), 'invalid-quantity');
    rejects(() => place(5, 900), 'invalid-quantity');
    rejects(() => place(0, 900), 'invalid-quantity');
    assert.equal(place(15, 905).order.status, 'new');
    rejects(() => r.engine.place({ apiKey: A, symbol: 'NOPE/USDT', side: 'buy', type: 'market', qtyUnits: 1, clientOrderId: 'x' }), 'unknown-symbol');
  });

  test('a resting order is filled at its own price when public trades go through it', () => {
    const { order } = limit(A, 'buy', '0.02', '64999.5');
    r.market.executeTaker(S, 'sell', qty(r, S, '0.015')); // prints 0.01 @ 64999 and 0.005 @ 64998
    const fills = r.engine.fills(A, S);
    assert.deepEqual(fills.map((f) => [f.priceUnits, f.qtyUnits, f.liquidity]), [[px(r, S, '64999.5'), qty(r, S, '0.01'), 'maker'], [px(r, S, '64999.5'), qty(r, S, '0.005'), 'maker']]);
    assert.equal(d(fills[0]?.fee ?? '0'), '0.000002'); // maker 0.0002 x 0.01
    assert.equal(r.engine.order(A, S, { orderId: order.orderId })?.status, 'partially-filled');
    assert.equal(locked(r, A, 'USDT'), '324.9975');
    r.market.executeTaker(S, 'buy', qty(r, S, '0.01')); // a buy does not fill a resting buy
    assert.equal(r.engine.fills(A).length, 2);
  });

  test('a book that moves across a resting order fills it from that liquidity (in a microtask, or on settle())', async () => {
    const sell = limit(A, 'sell', '0.02', '65000.5').order;
    setBook(r, S, [['65000.7', '0.005'], ['65000.6', '0.01'], ['64990', '1']], [['65005', '1']]);
    assert.equal(r.engine.fills(A).length, 0, 'not inside the market callback');
    await new Promise((resolve) => setImmediate(resolve));
    const fills = r.engine.fills(A);
    assert.deepEqual(fills.map((f) => [f.priceUnits, f.qtyUnits, f.liquidity]), [[px(r, S, '65000.5'), qty(r, S, '0.005'), 'maker'], [px(r, S, '65000.5'), qty(r, S, '0.01'), 'maker']]);
    assert.deepEqual(levels(r, S, 'bids'), ['64990x1']);
    assert.equal(r.engine.order(A, S, { orderId: sell.orderId })?.filledUnits, qty(r, S, '0.015'));
    setBook(r, S, [['65001', '1']], [['65005', '1']]);
    r.engine.settle();
    assert.equal(r.engine.order(A, S, { orderId: sell.orderId })?.status, 'filled');
    assert.deepEqual(levels(r, S, 'bids'), ['65001x0.995']);
  });

  test('price-time priority between resting orders; engine orders match each other at the resting price', () => {
    const first = limit(B, 'sell', '0.01', '65000.5').order;
    const second = limit(C, 'sell', '0.01', '65000.5').order;
    const better = limit(C, 'sell', '0.01', '65000.4').order;
    const tape = r.market.tape(S).recentTrades(1000).length;
    const { fills } = limit(A, 'buy', '0.015', '65000.5');
    assert.deepEqual(fills.map((f) => [f.priceUnits, f.qtyUnits]), [[px(r, S, '65000.4'), qty(r, S, '0.01')], [px(r, S, '65000.5'), qty(r, S, '0.005')]]);
    assert.equal(r.engine.order(C, S, { orderId: better.orderId })?.status, 'filled');
    assert.equal(r.engine.order(B, S, { orderId: first.orderId })?.filledUnits, qty(r, S, '0.005'));
    assert.equal(r.engine.order(C, S, { orderId: second.orderId })?.filledUnits, 0);
    assert.equal(r.engine.fills(B)[0]?.liquidity, 'maker');
    // B received 0.005 x 65000.5 minus the maker fee, its BTC lock shrank by 0.005.
    assert.equal(free(r, B, 'USDT'), d(Decimal.from('100000').add(Decimal.from('325.0025').mul('0.9998'))));
    assert.equal(locked(r, B, 'BTC'), '0.005');
    assert.deepEqual(levels(r, S, 'asks'), ['65001x0.01', '65002x0.02', '65003x0.03'], 'the market book was not touched');
    assert.equal(r.market.tape(S).recentTrades(1000).length, tape + 2, 'the engine-vs-engine trades are public');
    // Time priority on trade-throughs: the older of two buys at one price fills first.
    const old = limit(A, 'buy', '0.01', '64999.5').order;
    const young = limit(B, 'buy', '0.01', '64999.5').order;
    r.market.executeTaker(S, 'sell', qty(r, S, '0.01'));
    assert.equal(r.engine.order(A, S, { orderId: old.orderId })?.status, 'filled');
    assert.equal(r.engine.order(B, S, { orderId: young.orderId })?.filledUnits, 0);
  });

  test('self-trade prevention expires the resting order of the same account', () => {
    const own = limit(A, 'sell', '0.01', '65000.5').order;
    const { fills } = limit(A, 'buy', '0.01', '65001');
    assert.equal(r.engine.order(A, S, { orderId: own.orderId })?.status, 'expired');
    assert.deepEqual(fills.map((f) => f.priceUnits), [px(r, S, '65001')]);
    assert.equal(locked(r, A, 'BTC'), '0');
  });

  test('events of a place that fills at once: new, one per fill, then balances; handed-out objects stay as they were', () => {
    const events = r.events.get(A) ?? [];
    const { order } = limit(A, 'buy', '0.03', '65002');
    assert.deepEqual(events.map((e) => (e.kind === 'order' ? `order:${e.order.status}:${e.fill?.qtyUnits ?? '-'}` : e.kind)), ['order:new:-', `order:partially-filled:${qty(r, S, '0.01')}`, `order:filled:${qty(r, S, '0.02')}`, 'balance']);
    const first = events[0];
    assert.ok(first?.kind === 'order');
    assert.equal(first.order.status, 'new');
    assert.equal(first.order.filledUnits, 0);
    assert.equal(order.status, 'filled');
    const bal = events[3];
    assert.ok(bal?.kind === 'balance');
    assert.deepEqual(bal.balances.map((b) => [b.currency, d(b.free), d(b.locked)]).sort(), [['BTC', '2.029985', '0'], ['USDT', '98049.95', '0']]);
    assert.match(order.orderId, /^[1-9]\d*$/);
    const next = limit(A, 'buy', '0.01', '60000').order;
    assert.ok(BigInt(next.orderId) > BigInt(order.orderId));
    const ids = r.engine.fills(A).map((f) => BigInt(f.tradeId));
    assert.ok(ids.every((id, i) => i === 0 || id > (ids[i - 1] as bigint)));
    assert.deepEqual(r.events.get(B), [], 'other accounts hear nothing');
  });

  test('on a live market, balances always equal the start plus the fills, and nothing stays locked once orders close', () => {
    const live = rig();
    const book = live.market.book(S);
    const tick = live.market.instrument(S).tickUnits;
    let k = 0;
    for (let round = 0; round < 30; round++) {
      const bid = book.bids.best() as number;
      const ask = book.asks.best() as number;
      for (const [apiKey, side, price] of [[A, 'buy', bid + tick], [B, 'sell', ask - tick], [A, 'sell', ask], [B, 'buy', bid]] as const) {
        live.engine.place({ apiKey, symbol: S, side, type: 'limit', qtyUnits: qty(live, S, '0.01'), priceUnits: price, clientOrderId: `live${++k}` });
      }
      for (let i = 0; i < 40; i++) {
        live.market.step(1, S);
        live.engine.settle();
      }
    }
    assert.equal(live.market.listenerErrors, 0);
    const filled = live.engine.fills(A).length + live.engine.fills(B).length;
    assert.ok(filled > 20, `only ${filled} fills`);
    for (const apiKey of [A, B]) {
      for (const o of live.engine.openOrders(apiKey)) live.engine.cancel(apiKey, S, { orderId: o.orderId });
      let usdt = Decimal.from('100000');
      let btc = Decimal.from('2');
      for (const f of live.engine.fills(apiKey)) {
        const q = Decimal.fromScaled(f.qtyUnits, 5);
        const quote = Decimal.fromScaled(f.priceUnits, 2).mul(q);
        if (f.side === 'buy') {
          usdt = usdt.sub(quote);
          btc = btc.add(q).sub(f.fee);
        } else {
          usdt = usdt.add(quote).sub(f.fee);
          btc = btc.sub(q);
        }
      }
      assert.equal(free(live, apiKey, 'USDT'), d(usdt), `${apiKey} USDT`);
      assert.equal(free(live, apiKey, 'BTC'), d(btc), `${apiKey} BTC`);
      assert.equal(locked(live, apiKey, 'USDT'), '0');
      assert.equal(locked(live, apiKey, 'BTC'), '0');
      const sumQuote = live.engine.orders(apiKey).reduce((sum, o) => sum.add(o.cumQuote), Decimal.ZERO);
      const fillQuote = live.engine.fills(apiKey).reduce((sum, f) => sum.add(Decimal.fromScaled(f.priceUnits, 2).mul(Decimal.fromScaled(f.qtyUnits, 5))), Decimal.ZERO);
      assert.equal(d(sumQuote), d(fillQuote));
    }
  });

  test('close() stops following the market', () => {
    limit(A, 'buy', '0.01', '64999.5');
    r.engine.close();
    r.market.executeTaker(S, 'sell', qty(r, S, '0.01'));
    assert.equal(r.engine.fills(A).length, 0);
  });
});
