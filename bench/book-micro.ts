/**
 * Micro-benchmark of the order book apply path: ~1M realistic level updates on a 5,000-level-a-side book,
 * through `OrderBook.applyMessage` alone and through `BookSynchronizer` (undo log + checks). Prints rates.
 */
import { BookSynchronizer } from '../src/core/book/book-sync.js';
import { OrderBook } from '../src/core/book/order-book.js';
import { formatScaled } from '../src/core/decimal.js';
import type { DepthMessage } from '../src/core/model.js';
import type { BookRules } from '../src/core/venue.js';

const LEVELS = 5_000;
const TARGET_UPDATES = Number(process.env.BOOK_BENCH_UPDATES ?? 1_000_000);
const MEAN_DISTANCE = 200; // ticks from the inside, exponential
const MID = 6_400_000; // 64,000.00 at tick 0.01
const PRICE_SCALE = 2;
const QTY_SCALE = 5;

/** mulberry32: a small deterministic PRNG so every run sees the same workload. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(42);
const priceText = (tick: number): string => formatScaled(tick, PRICE_SCALE) + '000000';
const qtyText = (): string => formatScaled(1 + Math.floor(rand() * 5_000_000), QTY_SCALE) + '000';

/** Builds the snapshot and the delta messages from a simulated book (string generation is not timed). */
function workload(): { snapshot: DepthMessage; messages: DepthMessage[]; updates: number } {
  const sides = [new Set<number>(), new Set<number>()]; // ticks present: bids below MID, asks above
  const snapBids: string[][] = [];
  const snapAsks: string[][] = [];
  for (let i = 1; i <= LEVELS; i++) {
    sides[0]?.add(MID - i);
    sides[1]?.add(MID + i);
    snapBids.push([priceText(MID - i), qtyText()]);
    snapAsks.push([priceText(MID + i), qtyText()]);
  }
  const snapshot: DepthMessage = { kind: 'snapshot', symbol: 'BTC/USDT', seq: 1, bids: snapBids, asks: snapAsks, exchangeTime: 0, receivedAt: 0 };
  const messages: DepthMessage[] = [];
  let updates = 0;
  let seq = 1;
  while (updates < TARGET_UPDATES) {
    const n = 10 + Math.floor(rand() * 11);
    const bids: string[][] = [];
    const asks: string[][] = [];
    for (let k = 0; k < n; k++) {
      const s = rand() < 0.5 ? 0 : 1;
      const present = sides[s] as Set<number>;
      const dir = s === 0 ? -1 : 1; // away from the inside
      const distance = 1 + Math.floor(-Math.log(1 - rand()) * MEAN_DISTANCE);
      let tick = MID + dir * distance;
      const roll = rand();
      if (roll < 0.2) {
        while (present.has(tick)) tick += dir; // insert at the first empty tick at or beyond the distance
        present.add(tick);
        (s === 0 ? bids : asks).push([priceText(tick), qtyText()]);
      } else {
        let probe = 0;
        while (!present.has(tick) && probe < 10_000) {
          tick += dir;
          probe++;
        }
        if (!present.has(tick)) continue;
        if (roll < 0.4) {
          present.delete(tick);
          (s === 0 ? bids : asks).push([priceText(tick), '0.00000000']);
        } else {
          (s === 0 ? bids : asks).push([priceText(tick), qtyText()]);
        }
      }
      updates++;
    }
    seq++;
    messages.push({ kind: 'delta', symbol: 'BTC/USDT', seq, firstSeq: seq, prevSeq: seq - 1, bids, asks, exchangeTime: 0, receivedAt: 0 });
  }
  return { snapshot, messages, updates };
}

const sequentialRules: BookRules = {
  snapshotSource: 'stream',
  idBounds: { maxAhead: 1e9, maxBehind: 1e7 },
  alignFirst: () => 'apply',
  next: (last, d) => (d.prevSeq === last ? 'apply' : 'gap'),
};

function timeBook(snapshot: DepthMessage, messages: DepthMessage[]): number {
  const book = new OrderBook('BTC/USDT', PRICE_SCALE, QTY_SCALE);
  book.loadSnapshot(snapshot);
  let crossed = 0;
  const t0 = process.hrtime.bigint();
  for (const m of messages) {
    book.applyMessage(m);
    if (book.isCrossed() || book.bestBidPrice() >= book.bestAskPrice()) crossed++;
  }
  const ns = Number(process.hrtime.bigint() - t0);
  if (crossed !== 0) throw new Error('benchmark book crossed: workload bug');
  return ns;
}

function timeSync(snapshot: DepthMessage, messages: DepthMessage[]): number {
  let emitted = 0;
  const sync = new BookSynchronizer({
    symbol: 'BTC/USDT',
    priceScale: PRICE_SCALE,
    qtyScale: QTY_SCALE,
    rules: sequentialRules,
    onBook: () => {
      emitted++;
    },
  });
  sync.onDelta(snapshot);
  const t0 = process.hrtime.bigint();
  for (const m of messages) sync.onDelta(m);
  const ns = Number(process.hrtime.bigint() - t0);
  if (emitted !== messages.length + 1 || sync.stats.resyncs !== 0) throw new Error('benchmark sync did not apply everything');
  return ns;
}

const { snapshot, messages, updates } = workload();
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
console.log(`book-micro: ${fmt(updates)} updates in ${fmt(messages.length)} messages, ${LEVELS} levels a side, Node ${process.version}`);
for (const [name, run] of [
  ['OrderBook.applyMessage', timeBook],
  ['BookSynchronizer.onDelta', timeSync],
] as const) {
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) runs.push(run(snapshot, messages));
  runs.sort((a, b) => a - b);
  const median = runs[2] as number;
  console.log(
    `${name.padEnd(26)} median of 5: ${fmt(updates / (median / 1e9))} updates/s, ${fmt(messages.length / (median / 1e9))} messages/s ` +
      `(${(median / messages.length / 1000).toFixed(2)} µs/message; best ${fmt(messages.length / ((runs[0] as number) / 1e9))} msg/s)`,
  );
}
