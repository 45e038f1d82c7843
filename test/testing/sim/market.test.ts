/** The market core: determinism, book invariants, trades consistent with the book, ids, candles and stats. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Market, type BookChange, type SimTrade } from '../../../src/testing/index.js';

function run(seed: number, steps: number): { changes: BookChange[]; trades: SimTrade[]; market: Market } {
  const market = new Market({ seed, tickMs: 0, symbols: ['BTC/USDT', 'ETH/USDT:USDT'], warmupSteps: 0 });
  const changes: BookChange[] = [];
  const trades: SimTrade[] = [];
  market.listen({ bookChange: (c) => changes.push(c), trade: (t) => trades.push(t) });
  market.step(steps);
  return { changes, trades, market };
}

describe('market core', () => {
  test('the same seed produces the same books, trades and ids step by step', () => {
    const a = run(42, 300);
    const b = run(42, 300);
    const c = run(43, 300);
    assert.deepEqual(a.changes.map((x) => ({ ...x, time: 0 })), b.changes.map((x) => ({ ...x, time: 0 })));
    assert.deepEqual(a.trades.map((t) => ({ ...t, time: 0 })), b.trades.map((t) => ({ ...t, time: 0 })));
    assert.deepEqual(a.market.snapshot('BTC/USDT'), b.market.snapshot('BTC/USDT'));
    assert.notDeepEqual(a.market.snapshot('BTC/USDT'), c.market.snapshot('BTC/USDT'));
  });

  test('a symbol evolves the same whatever other symbols are selected', () => {
    const alone = new Market({ seed: 42, tickMs: 0, symbols: ['ETH/USDT'] });
    const many = new Market({ seed: 42, tickMs: 0 });
    alone.step(100);
    many.step(100);
    assert.deepEqual(alone.snapshot('ETH/USDT'), many.snapshot('ETH/USDT'));
  });

  test('books never cross, sizes are positive multiples of the step and depth stays at the target', () => {
    const market = new Market({ seed: 7, tickMs: 0, depth: 300, warmupSteps: 0 });
    market.step(400);
    for (const symbol of market.symbols) {
      const inst = market.instrument(symbol);
      const book = market.book(symbol);
      assert.ok((book.bids.best() as number) < (book.asks.best() as number), `${symbol} crossed`);
      assert.equal(book.asks.length, 300, `${symbol} ask depth`);
      assert.ok(book.bids.length > 0 && book.bids.length <= 300, `${symbol} bid depth ${book.bids.length}`);
      for (const [p, q] of [...book.bids.top(), ...book.asks.top()]) {
        assert.ok(q > 0 && q % inst.stepUnits === 0, `${symbol} size ${q}`);
        assert.ok(p > 0 && p % inst.tickUnits === 0, `${symbol} price ${p}`);
      }
    }
  });

  test('every trade happens at a resting level and the depth change removes exactly the traded size', () => {
    const market = new Market({ seed: 11, tickMs: 0, symbols: ['BTC/USDT'], warmupSteps: 0 });
    let before = market.snapshot('BTC/USDT', 20);
    let stepTrades: SimTrade[] = [];
    const seen: { change: BookChange | undefined } = { change: undefined };
    market.listen({ trade: (t) => stepTrades.push(t), bookChange: (c) => (seen.change = c) });
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      stepTrades = [];
      seen.change = undefined;
      market.step();
      const change = seen.change as BookChange | undefined;
      if (stepTrades.length > 0) {
        assert.ok(change !== undefined);
        const buy = stepTrades[0]?.takerSide === 'buy';
        const resting = new Map((buy ? before.asks : before.bids).map(([p, q]) => [p, q]));
        const changed = new Map((buy ? change.asks : change.bids).map(([p, q]) => [p, q]));
        const filled = new Map<number, number>();
        for (const t of stepTrades) filled.set(t.price, (filled.get(t.price) ?? 0) + t.qty);
        for (const [price, qty] of filled) {
          const was = resting.get(price);
          assert.ok(was !== undefined, `trade at ${price} was not a resting level`);
          assert.equal(changed.get(price), was - qty, `level ${price} after the trade`);
        }
        checked++;
      }
      before = market.snapshot('BTC/USDT', 20);
    }
    assert.ok(checked > 50, `only ${checked} steps had trades`);
  });

  test('an explicit taker order sweeps levels from the touch at their prices', () => {
    const market = new Market({ seed: 3, tickMs: 0, symbols: ['BTC/USDT'], warmupSteps: 0 });
    const asks = market.snapshot('BTC/USDT', 3).asks;
    const want = (asks[0]?.[1] ?? 0) + (asks[1]?.[1] ?? 0) + 1;
    const trades = market.executeTaker('BTC/USDT', 'buy', want);
    assert.deepEqual(trades.map((t) => [t.price, t.qty]), [
      [asks[0]?.[0], asks[0]?.[1]],
      [asks[1]?.[0], asks[1]?.[1]],
      [asks[2]?.[0], 1],
    ]);
    assert.equal(market.book('BTC/USDT').asks.best(), asks[2]?.[0]);
    assert.equal(market.book('BTC/USDT').asks.get(asks[2]?.[0] as number), (asks[2]?.[1] as number) - 1);
  });

  test('spot ids are contiguous and perpetual ids jump while each change names the previous id', () => {
    const { changes } = run(5, 200);
    const spot = changes.filter((c) => c.symbol === 'BTC/USDT');
    const perp = changes.filter((c) => c.symbol === 'ETH/USDT:USDT');
    for (let i = 1; i < spot.length; i++) assert.equal(spot[i]?.firstId, (spot[i - 1]?.lastId as number) + 1);
    let jumps = 0;
    for (let i = 1; i < perp.length; i++) {
      assert.equal(perp[i]?.prevId, perp[i - 1]?.lastId);
      if (perp[i]?.firstId !== (perp[i - 1]?.lastId as number) + 1) jumps++;
    }
    assert.ok(jumps > perp.length / 2, `perpetual ids jumped only ${jumps} times`);
  });

  test('a sparse-id REST snapshot names the first id of the next change', () => {
    const { market } = run(9, 10);
    const snap = market.snapshot('ETH/USDT:USDT');
    const changes: BookChange[] = [];
    market.listen({ bookChange: (c) => changes.push(c) });
    market.step(1, 'ETH/USDT:USDT');
    assert.equal(changes[0]?.firstId, snap.updateId);
    assert.ok(snap.updateId > (changes[0]?.prevId as number));
  });

  test('candles and 24 h statistics are derived from the trades', () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const market = new Market({ seed: 4, tickMs: 0, symbols: ['SOL/USDT'], warmupSteps: 0, now: () => now });
    const trades: SimTrade[] = [];
    market.listen({ trade: (t) => trades.push(t) });
    for (let i = 0; i < 600; i++) {
      market.step();
      now += 1000;
    }
    const tape = market.tape('SOL/USDT');
    const stats = tape.stats(now);
    assert.ok(stats !== undefined);
    assert.equal(stats.count, trades.length);
    assert.equal(stats.volume, trades.reduce((a, t) => a + BigInt(t.qty), 0n));
    assert.equal(stats.last, trades.at(-1)?.price);
    assert.equal(stats.open, trades[0]?.price);
    assert.equal(stats.high, Math.max(...trades.map((t) => t.price)));
    const candles = tape.candles(60_000, now, 100);
    assert.equal(candles.reduce((a, c) => a + c.count, 0), trades.length);
    const fiveMinute = tape.candles(300_000, now, 100);
    assert.equal(fiveMinute.reduce((a, c) => a + c.volume, 0n), stats.volume);
    for (const c of candles) assert.equal(c.openTime % 60_000, 0);
  });

  test('a trend moves the whole book far past any early snapshot of it, up or down, never crossing', () => {
    for (const levels of [2, -2]) {
      const market = new Market({ seed: 5, tickMs: 0, depth: 300, symbols: ['SOL/USDT'], warmupSteps: 0 });
      const before = market.snapshot('SOL/USDT', 50);
      const far = levels > 0 ? (before.asks.at(-1)?.[0] as number) : (before.bids.at(-1)?.[0] as number);
      market.setTrend('SOL/USDT', levels);
      const trades: SimTrade[] = [];
      market.listen({ trade: (t) => trades.push(t) });
      for (let i = 0; i < 150; i++) {
        market.step(1, 'SOL/USDT');
        const book = market.book('SOL/USDT');
        assert.ok((book.bids.best() as number) < (book.asks.best() as number), `crossed at step ${i}`);
      }
      const book = market.book('SOL/USDT');
      if (levels > 0) assert.ok((book.bids.best() as number) > far, 'the bids rose past the old 50th ask');
      else assert.ok((book.asks.best() as number) < far, 'the asks fell past the old 50th bid');
      assert.equal(book.asks.length, 300, 'the depth stays at its target');
      assert.ok(trades.length >= 150 * Math.abs(levels), 'the trend takers traded');
      market.setTrend('SOL/USDT', 0);
      assert.throws(() => market.setTrend('SOL/USDT', 0.5), /integer/);
    }
  });
});
