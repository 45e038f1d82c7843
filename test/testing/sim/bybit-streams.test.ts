/** The Bybit front end's public streams: frames shaped like the real fixtures, exact window diffs, `u` rules and faults. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { BookTopic, windowDiff } from '../../../src/testing/sim/bybit/book-topic.js';
import { bybitSymbol } from '../../../src/testing/sim/bybit/wire-format.js';
import { derivativesCatalogue } from '../../../src/testing/sim/instruments.js';
import { Market } from '../../../src/testing/sim/market.js';
import { Rng } from '../../../src/testing/sim/rng.js';
import { fixtureLines, fixtureText, waitFor } from '../../helpers/wait.js';
import { shape, WsProbe } from './sim-helpers.js';

type Frame = Record<string, unknown>;
type Levels = Array<[string, string]>;
const fixture = (path: string): Frame => JSON.parse(fixtureText(`bybit/${path}`)) as Frame;
const line = (path: string, i: number): Frame => JSON.parse(fixtureLines(`bybit/${path}`)[i] as string) as Frame;

/** A reference Bybit book applier: a snapshot replaces the book, a delta sets levels (size "0" deletes). */
class RefBook {
  bids = new Map<string, string>();
  asks = new Map<string, string>();
  u = 0;
  apply(f: Frame): void {
    const d = f['data'] as { b: Levels; a: Levels; u: number };
    if (f['type'] === 'snapshot') {
      this.bids.clear();
      this.asks.clear();
    } else assert.equal(d.u, this.u + 1, `u continuity: ${d.u} after ${this.u}`);
    for (const [p, q] of d.b) if (/^0(\.0*)?$/.test(q)) this.bids.delete(p); else this.bids.set(p, q);
    for (const [p, q] of d.a) if (/^0(\.0*)?$/.test(q)) this.asks.delete(p); else this.asks.set(p, q);
    this.u = d.u;
  }
  sorted(side: 'bids' | 'asks'): Levels {
    // Spot prices are trimmed ("3200", "3199.98"): compare with the fraction padded to a common width.
    const key = (p: string): bigint => {
      const [int = '', frac = ''] = p.split('.');
      return BigInt(int + frac.padEnd(12, '0'));
    };
    return [...(side === 'bids' ? this.bids : this.asks)].sort((a, b) => {
      const d = key(a[0]) - key(b[0]);
      return (side === 'bids' ? -1 : 1) * (d > 0n ? 1 : d < 0n ? -1 : 0);
    });
  }
}

/** The market's top `n` as the front end writes it (derivatives keep the tick's decimals). */
function truthTop(market: Market, symbol: string, n: number, side: 'bids' | 'asks'): Levels {
  const s = bybitSymbol(market.instrument(symbol));
  const snap = market.snapshot(symbol, n);
  const i = s.instrument;
  const f = (u: number, scale: number): string => {
    const t = String(u).padStart(scale + 1, '0');
    const out = scale === 0 ? t : `${t.slice(0, t.length - scale)}.${t.slice(t.length - scale)}`;
    return s.category === 'spot' && out.includes('.') ? out.replace(/\.?0+$/, '') : out;
  };
  return snap[side].map(([p, q]) => [f(p, i.priceScale), f(q, i.qtyScale)]);
}

describe('bybit book window diffs', () => {
  test('a client applying snapshot + deltas holds exactly the top N of the truth after every change', () => {
    const market = new Market({ seed: 9, depth: 260, tickMs: 0, symbols: ['BTC/USDT:USDT', 'ETH/USDT', 'BTC/USD:BTC'], catalogue: derivativesCatalogue(Date.UTC(2026, 0, 5)) });
    const rng = new Rng('window-diff');
    for (const [symbol, depth] of [['BTC/USDT:USDT', 50], ['BTC/USDT:USDT', 200], ['ETH/USDT', 50], ['BTC/USD:BTC', 1], ['BTC/USD:BTC', 200]] as const) {
      const s = bybitSymbol(market.instrument(symbol));
      const topic = new BookTopic(s, depth, market.book(symbol), 41);
      const ref = new RefBook();
      ref.apply(JSON.parse(topic.snapshotFrame(1, 1)) as Frame);
      const stop = market.listen({
        bookChange: (c, book) => {
          if (c.symbol !== symbol) return;
          const frame = topic.update(book, 2, 2, c.lastId);
          if (frame !== undefined) ref.apply(JSON.parse(frame) as Frame);
        },
      });
      for (let i = 0; i < 600; i++) {
        // Mostly ordinary steps, sometimes a sweep that empties many top levels (levels slide into the window).
        if (rng.chance(0.03)) market.executeTaker(symbol, rng.chance(0.5) ? 'buy' : 'sell', market.instrument(symbol).typicalQtyUnits * 30);
        else market.step(1, symbol);
        assert.deepEqual(ref.sorted('bids'), truthTop(market, symbol, depth, 'bids'), `${symbol} ${depth} bids after step ${i}`);
        assert.deepEqual(ref.sorted('asks'), truthTop(market, symbol, depth, 'asks'), `${symbol} ${depth} asks after step ${i}`);
      }
      stop();
      assert.ok(topic.u > 41 + 100, `${symbol} ${depth}: the window changed on many steps`);
    }
    assert.equal(market.listenerErrors, 0);
  });

  test('a window diff reports inserts, resizes and the levels pushed out', () => {
    assert.deepEqual(windowDiff([[10, 1], [9, 1], [8, 1]], [[11, 2], [10, 1], [9, 3]], true), [[11, 2], [9, 3], [8, 0]]);
    assert.deepEqual(windowDiff([[10, 1], [11, 1]], [[11, 1], [12, 5]], false), [[10, 0], [12, 5]]);
  });
});

describe('bybit public streams', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ seed: 5, tickMs: 20, depth: 300, symbols: 1 });
  });
  after(() => sim.close());
  const url = (c: 'spot' | 'linear' | 'inverse'): string => (sim.endpoints.bybit as NonNullable<Simulator['endpoints']['bybit']>).ws[c];

  async function open(c: 'spot' | 'linear' | 'inverse'): Promise<WsProbe> {
    const p = new WsProbe(url(c));
    await p.opened();
    return p;
  }

  test('spot frames have the recorded shapes: ack, pong, orderbook snapshot and delta, trades, tickers', async () => {
    const p = await open('spot');
    try {
      p.send({ req_id: '1', op: 'subscribe', args: ['orderbook.50.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTCUSDT', 'kline.1.BTCUSDT'] });
      const ack = await p.next((f) => f['op'] === 'subscribe', 'ack');
      assert.deepEqual(shape(ack), shape(line('ws/orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl', 0)));
      assert.equal(ack['ret_msg'], 'subscribe');
      p.send({ req_id: '637252072726597', op: 'ping' });
      const pong = await p.next((f) => f['op'] === 'ping', 'pong');
      assert.deepEqual(Object.keys(pong), ['success', 'ret_msg', 'conn_id', 'req_id', 'op']);
      assert.equal(pong['ret_msg'], 'pong');
      const snap = await p.next((f) => f['topic'] === 'orderbook.50.BTCUSDT' && f['type'] === 'snapshot', 'snapshot');
      const recorded = line('ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl', 0);
      assert.deepEqual(shape(snap), shape(recorded));
      assert.equal((snap['data'] as { b: unknown[] }).b.length, 50);
      const delta = await p.next((f) => f['type'] === 'delta', 'delta', 5000);
      assert.deepEqual(Object.keys(delta), Object.keys(line('ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl', 1)));
      const trade = await p.next((f) => f['topic'] === 'publicTrade.BTCUSDT', 'trade', 5000);
      const rec = line('ws/public-trade-BTCUSDT-spot-recorded-sequence.jsonl', 1);
      assert.deepEqual(shape(trade), shape(rec));
      assert.deepEqual(Object.keys((trade['data'] as Frame[])[0] as Frame), Object.keys((rec['data'] as Frame[])[0] as Frame));
      const ticker = await p.next((f) => f['topic'] === 'tickers.BTCUSDT', 'ticker', 5000);
      assert.deepEqual(shape(ticker), shape(fixture('ws/ticker-spot.json')));
      const kline = await p.next((f) => f['topic'] === 'kline.1.BTCUSDT', 'kline', 5000);
      assert.deepEqual(Object.keys(kline), Object.keys(fixture('ws/kline.json')));
      assert.deepEqual(Object.keys((kline['data'] as Frame[])[0] as Frame), Object.keys((fixture('ws/kline.json')['data'] as Frame[])[0] as Frame));
    } finally {
      p.close();
    }
  });

  test('linear frames have the recorded shapes; tickers send a snapshot then only changed fields', async () => {
    const p = await open('linear');
    try {
      p.send({ op: 'subscribe', args: ['orderbook.200.BTCUSDT', 'publicTrade.BTCUSDT', 'tickers.BTCUSDT'] });
      const ack = await p.next((f) => f['op'] === 'subscribe', 'ack');
      assert.deepEqual(ack, { ...fixture('ws/subscribe-response-public-linear.json'), conn_id: ack['conn_id'] });
      p.send({ op: 'ping' });
      const pong = await p.next((f) => f['op'] === 'ping', 'pong');
      assert.deepEqual(pong, { ...fixture('ws/pong-public-linear.json'), conn_id: pong['conn_id'] });
      const recorded = fixtureLines('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl').map((l) => JSON.parse(l) as Frame);
      const snap = await p.next((f) => f['type'] === 'snapshot' && String(f['topic']).startsWith('orderbook'), 'snapshot');
      assert.deepEqual(shape(snap), shape(recorded[0]));
      const delta = await p.next((f) => f['type'] === 'delta' && String(f['topic']).startsWith('orderbook'), 'delta', 5000);
      assert.deepEqual(Object.keys(delta), Object.keys(recorded[1] as Frame));
      assert.deepEqual(Object.keys(delta['data'] as Frame), Object.keys((recorded[1] as Frame)['data'] as Frame));
      const trade = await p.next((f) => f['topic'] === 'publicTrade.BTCUSDT', 'trade', 5000);
      const rec = line('ws/public-trade-BTCUSDT-linear-recorded-sequence.jsonl', 1);
      assert.deepEqual(shape(trade), shape(rec));
      const [tSnap, tDelta] = fixtureLines('bybit/ws/tickers-linear-snapshot-then-delta-recorded.jsonl').map((l) => JSON.parse(l) as Frame);
      const first = await p.next((f) => f['topic'] === 'tickers.BTCUSDT', 'ticker snapshot');
      assert.deepEqual(shape(first), shape(tSnap));
      const d = await p.next((f) => f['topic'] === 'tickers.BTCUSDT' && f['type'] === 'delta', 'ticker delta', 5000);
      assert.deepEqual(Object.keys(d), Object.keys(tDelta as Frame));
      const fields = Object.keys(d['data'] as Frame);
      assert.equal(fields[0], 'symbol');
      assert.ok(fields.length < Object.keys(first['data'] as Frame).length, 'a delta carries only changed fields');
    } finally {
      p.close();
    }
  });

  test('bad topics, unknown symbols and too many spot args are refused with success false', async () => {
    const p = await open('spot');
    try {
      p.send({ req_id: 'x', op: 'subscribe', args: ['orderbook.500.BTCUSDT'] });
      const bad = await p.next((f) => f['req_id'] === 'x', 'error ack');
      assert.deepEqual([bad['success'], bad['ret_msg']], [false, 'error:handler not found,topic:orderbook.500.BTCUSDT']);
      p.send({ req_id: 'y', op: 'subscribe', args: Array.from({ length: 11 }, () => 'publicTrade.BTCUSDT') });
      assert.equal((await p.next((f) => f['req_id'] === 'y', 'args ack'))['success'], false);
      p.send({ req_id: 'z', op: 'subscribe', args: ['tickers.NOPEUSDT'] });
      assert.equal((await p.next((f) => f['req_id'] === 'z', 'symbol ack'))['success'], false);
    } finally {
      p.close();
    }
  });

  test('a live stream equals the truth: deltas keep u + 1 and the book equals a fresh snapshot and the market', async () => {
    const p = await open('inverse');
    try {
      p.send({ op: 'subscribe', args: ['orderbook.50.BTCUSD'] });
      await waitFor(() => p.frames.filter((f) => (f as Frame)['type'] === 'delta').length >= 20, '20 deltas', 10_000);
      const market = sim.marketOf('bybit');
      market.stop();
      try {
        const q = await open('inverse');
        q.send({ op: 'subscribe', args: ['orderbook.50.BTCUSD'] });
        const fresh = await q.next((f) => f['type'] === 'snapshot', 'fresh snapshot');
        q.close();
        const target = (fresh['data'] as { u: number }).u;
        await waitFor(() => p.frames.some((f) => ((f as Frame)['data'] as { u?: number } | undefined)?.u === target), `u ${target}`);
        const ref = new RefBook();
        for (const f of p.frames as Frame[]) if (String(f['topic']).startsWith('orderbook')) ref.apply(f);
        assert.deepEqual(ref.sorted('bids'), truthTop(market, 'BTC/USD:BTC', 50, 'bids'));
        assert.deepEqual(ref.sorted('asks'), truthTop(market, 'BTC/USD:BTC', 50, 'asks'));
        assert.deepEqual(ref.sorted('bids'), (fresh['data'] as { b: Levels }).b);
      } finally {
        market.start(20);
      }
    } finally {
      p.close();
    }
  });

  test('restart fault: a snapshot with u 1 on each book topic of the symbol, then deltas from 2', async () => {
    const p = await open('linear');
    try {
      p.send({ op: 'subscribe', args: ['orderbook.50.BTCUSDT', 'orderbook.1.BTCUSDT'] });
      await p.next((f) => f['topic'] === 'orderbook.50.BTCUSDT' && f['type'] === 'delta', 'first delta', 5000);
      const from = p.frames.length;
      assert.equal(sim.frontEnd('bybit').restart('BTC/USDT:USDT'), 2);
      const restarted = await p.next((f) => f['topic'] === 'orderbook.50.BTCUSDT' && f['type'] === 'snapshot', 'restart snapshot', 5000, from);
      assert.equal((restarted['data'] as { u: number }).u, 1);
      const after = await p.next((f) => f['topic'] === 'orderbook.50.BTCUSDT' && f['type'] === 'delta', 'delta after restart', 5000, from);
      assert.equal((after['data'] as { u: number }).u, 2);
      const one = await p.next((f) => f['topic'] === 'orderbook.1.BTCUSDT' && (f['data'] as { u: number }).u === 1, 'depth 1 restart', 5000, from);
      assert.equal(one['type'], 'snapshot');
    } finally {
      p.close();
    }
  });

  test('control faults: a re-snapshot mid-stream and a gap (u skips one) scoped to bybit linear', async () => {
    const p = await open('linear');
    try {
      p.send({ op: 'subscribe', args: ['orderbook.200.BTCUSDT'] });
      await p.next((f) => f['type'] === 'delta', 'first delta', 5000);
      let from = p.frames.length;
      const res = await fetch(`${sim.endpoints.control}/_sim/faults`, { method: 'POST', body: JSON.stringify({ type: 'bybit-resnapshot', venue: 'bybit', symbol: 'BTCUSDT', segment: 'linear' }) });
      assert.equal(res.status, 200);
      const again = await p.next((f) => f['type'] === 'snapshot', 're-snapshot', 5000, from);
      const before = (p.frames.slice(0, p.frames.indexOf(again)).reverse().find((f) => (f as Frame)['type'] === 'delta') as Frame | undefined)?.['data'] as { u: number } | undefined;
      assert.equal((again['data'] as { u: number }).u, (before?.u ?? 0) + 1);
      from = p.frames.length;
      const gap = await fetch(`${sim.endpoints.control}/_sim/faults`, { method: 'POST', body: JSON.stringify({ type: 'gap', venue: 'bybit', segment: 'linear', symbol: 'BTC/USDT:USDT' }) });
      assert.equal(gap.status, 200);
      const us = await waitFor(() => {
        const list = p.frames.slice(from).map((f) => ((f as Frame)['data'] as { u: number }).u);
        return list.length >= 3 ? list : undefined;
      }, 'three pushes after the gap', 5000);
      const jumps = us.slice(1).map((u, i) => u - (us[i] as number));
      assert.ok(jumps.includes(2) || (us[0] as number) - ((p.frames[from - 1] as Frame)['data'] as { u: number }).u === 2, `one u skipped: ${us.join(',')}`);
      assert.ok((sim.faults.state().applied['gap-applied'] ?? 0) >= 1);
    } finally {
      p.close();
    }
  });

  test('drop and stall faults are scoped by category; idle connections are cut', async () => {
    const spot = await open('spot');
    const lin = await open('linear');
    try {
      assert.equal(sim.faults.drop({ venue: 'bybit', segment: 'spot' }), 1);
      await waitFor(() => spot.closed, 'spot closed');
      assert.equal(lin.closed, undefined);
      assert.equal(sim.faults.stall(50, { venue: 'bybit', segment: 'linear' }), 1);
    } finally {
      spot.close();
      lin.close();
    }
    await using idle = await startSimulator({ seed: 6, tickMs: 0, depth: 20, symbols: 1, bybit: { idleTimeoutMs: 150 } });
    const p = new WsProbe((idle.endpoints.bybit as NonNullable<Simulator['endpoints']['bybit']>).ws.linear);
    await p.opened();
    await waitFor(() => p.closed, 'idle cut', 3000);
    assert.equal(idle.stats.connections['bybit']?.closedByServer['idle'], 1);
  });
});
