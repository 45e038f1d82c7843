/**
 * What a snapshot covered: the book's covered edge per side, the consumer's view trimmed to its depth and to
 * that edge, the depth policy, and the refreshing synchronizer that rebuilds before the asked depth leaves
 * the covered range (hand-driven fetcher, Binance-spot-like rules).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { coverageLimits, snapshotLevelsFor } from '../../../src/core/book/book-depth.js';
import { RefreshingBookSync } from '../../../src/core/book/book-refresh.js';
import type { BookSyncEvent } from '../../../src/core/book/book-sync.js';
import { OrderBookView } from '../../../src/core/book/book-view.js';
import { NumberSide } from '../../../src/core/book/book-side.js';
import { OrderBook } from '../../../src/core/book/order-book.js';
import type { ResyncReason } from '../../../src/core/book/order-book.js';
import { VenueError } from '../../../src/core/errors.js';
import type { DepthMessage } from '../../../src/core/model.js';
import type { BookRules } from '../../../src/core/venue.js';
import { waitFor } from '../../helpers/wait.js';

type Lv = Array<[string, string]>;

const contiguousRules: BookRules = {
  snapshotSource: 'rest',
  idBounds: { maxAhead: 1_000_000, maxBehind: 10_000 },
  alignFirst: (snap, d) => (Number(d.seq) <= Number(snap) ? 'drop' : Number(d.firstSeq) <= Number(snap) + 1 ? 'apply' : 'refetch'),
  next: (last, d) => (Number(d.seq) <= Number(last) ? 'skip' : Number(d.firstSeq) === Number(last) + 1 ? 'apply' : 'gap'),
};

function delta(seq: number, bids: Lv = [], asks: Lv = []): DepthMessage {
  return { kind: 'delta', symbol: 'T/USD', seq, firstSeq: seq, bids, asks, exchangeTime: seq, receivedAt: seq };
}
function snapshot(seq: number, bids: Lv, asks: Lv): DepthMessage {
  return { kind: 'snapshot', symbol: 'T/USD', seq, bids, asks, exchangeTime: seq, receivedAt: seq };
}
const lv = (...prices: number[]): Lv => prices.map((p) => [p.toFixed(1), '1']);
const prices = (levels: ReadonlyArray<{ price: { normalize(): { toString(): string } } }>): string[] => levels.map((l) => l.price.normalize().toString());

// ------------------------------------------------------------------ the book's covered edge

test('a side that came back as full as asked is covered down to its worst level; a shorter one is complete', () => {
  const book = new OrderBook('T/USD', 1, 0);
  book.loadSnapshot(snapshot(1, lv(100, 99, 98), lv(101, 102)), 3);
  assert.equal(book.isComplete('bids'), false);
  assert.equal(book.isComplete('asks'), true);
  assert.equal(book.coveredDepth('bids'), 3);
  // A level beyond the edge (a delta there) is held but not covered: others there may be missing.
  book.applyLevels('bids', [['97.0', '1']]);
  assert.equal(book.bidCount, 4);
  assert.equal(book.coveredDepth('bids'), 3);
  // Levels leave and join inside the covered range.
  book.applyLevels('bids', [['100.0', '0']]);
  assert.equal(book.coveredDepth('bids'), 2);
  assert.equal(book.covers(3), false);
  assert.equal(book.covers(2), true);
  book.applyLevels('bids', [['98.5', '2'], ['98.0', '0']]);
  assert.equal(book.coveredDepth('bids'), 2, '98.5 joins inside, 98 (the edge itself) leaves: the edge price stays');
  book.applyLevels('asks', [['101.0', '0'], ['102.0', '0']]);
  assert.equal(book.covers(5), false, 'bids have 2 covered');
  assert.equal(book.coveredDepth('asks'), 0);
  book.loadSnapshot(snapshot(2, lv(100), lv(101)));
  assert.equal(book.isComplete('bids'), true, 'an in-band snapshot (no request size) is complete');
});

test('a venue-maintained window no deeper than the snapshot is complete; a deeper window is not', () => {
  const window = new OrderBook('T/USD', 1, 0, { maxDepth: 3 });
  window.loadSnapshot(snapshot(1, lv(100, 99, 98), lv(101, 102, 103)), 3);
  assert.equal(window.isComplete('bids'), true);
  assert.equal(window.isComplete('asks'), true);
  const deeper = new OrderBook('T/USD', 1, 0, { maxDepth: 400 });
  deeper.loadSnapshot(snapshot(1, lv(100, 99, 98), lv(101, 102, 103)), 3);
  assert.equal(deeper.isComplete('asks'), false);
});

test('the covered edge survives a scale widening and the switch to bigint storage', () => {
  const book = new OrderBook('T/USD', 1, 0);
  book.loadSnapshot(snapshot(1, lv(100, 99), lv(101, 102)), 2);
  book.applyLevels('asks', [['103.0', '1'], ['101.55', '1']]); // 103 beyond the edge; 101.55 widens to 2 decimals
  assert.equal(book.priceScale, 2);
  assert.equal(book.coveredDepth('asks'), 3);
  assert.equal(book.coveredDepth('bids'), 2);
  book.applyLevels('asks', [['101.5500000000000000001', '1']]); // beyond 2^53 at the new scale: bigint storage
  assert.equal(book.bigintBacked, true);
  assert.equal(book.coveredDepth('asks'), 4);
  assert.equal(book.coveredDepth('bids'), 2);
  book.applyLevels('bids', [['98.0', '1']]);
  assert.equal(book.coveredDepth('bids'), 2);
});

test('a full-length snapshot side holding no level is a decode error', () => {
  const book = new OrderBook('T/USD', 1, 0);
  assert.throws(() => book.loadSnapshot(snapshot(1, [['100.0', '0']], lv(101)), 1), (e) => VenueError.is(e, 'decode'));
});

test('the covered count follows every insert and removal at or better than the edge, undone updates, widening and bigint storage (seeded)', () => {
  let state = 99;
  const rand = (): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const book = new OrderBook('T/USD', 1, 0);
  const bidPrices = Array.from({ length: 20 }, (_, i) => 100 - i);
  const askPrices = Array.from({ length: 20 }, (_, i) => 101 + i);
  book.loadSnapshot(snapshot(1, lv(...bidPrices), lv(...askPrices)), 20);
  // Covered: bids at or above 81, asks at or below 120 (the snapshot's worst levels).
  const expected = (): [number, number] => [book.bids().filter((l) => l.price.gte('81')).length, book.asks().filter((l) => l.price.lte('120')).length];
  for (let n = 0; n < 3000; n++) {
    const before = [book.coveredDepth('bids'), book.coveredDepth('asks')];
    const undo = rand() < 0.2;
    book.beginUpdate();
    for (let k = 1 + Math.floor(rand() * 4); k > 0; k--) {
      const bid = rand() < 0.5;
      const tenths = Math.floor(rand() * 600) + (bid ? 700 : 810); // 70.0..130.0 and 81.0..141.0: both sides of each edge
      const price = n === 1000 && k === 1 ? '90.55' : n === 2000 && k === 1 ? '90.5500000000000000001' : (tenths / 10).toFixed(1);
      book.applyLevels(bid ? 'bids' : 'asks', [[price, rand() < 0.45 ? '0' : String(1 + Math.floor(rand() * 9))]]);
    }
    if (undo) book.rollbackUpdate();
    else book.commitUpdate(delta(n + 2));
    const now = [book.coveredDepth('bids'), book.coveredDepth('asks')];
    if (undo) assert.deepEqual(now, before, `an undone update leaves the count as it was (step ${n})`);
    assert.deepEqual(now, expected(), `step ${n}`);
    assert.equal(book.covers(5), now[0] >= 5 && now[1] >= 5);
  }
  assert.equal(book.bigintBacked, true, 'the run went through widening and bigint storage');
  assert.equal(book.priceScale, 19);
});

test('the covered count of a window the venue trims keeps only what the trim left', () => {
  const book = new OrderBook('T/USD', 1, 0, { maxDepth: 5 });
  book.loadSnapshot(snapshot(1, lv(100, 99, 98), lv(101, 102, 103)), 3); // a window deeper than the snapshot
  book.applyLevels('bids', [['101.0', '1'], ['100.5', '1'], ['99.5', '1']]); // all within the edge; 98 is trimmed off
  assert.deepEqual(prices(book.bids()), ['101', '100.5', '100', '99.5', '99']);
  assert.equal(book.coveredDepth('bids'), 5);
  book.applyLevels('bids', [['101.0', '0'], ['97.0', '1']]); // 97 lies beyond the edge
  assert.equal(book.coveredDepth('bids'), 4);
  assert.equal(book.bidCount, 5);
});

test('reading the covered depth searches nothing; a delta costs one search per level it sets, none for coverage', async () => {
  const original = NumberSide.prototype.search;
  let searches = 0;
  NumberSide.prototype.search = function (this: NumberSide, key: number): number {
    searches++;
    return original.call(this, key);
  };
  try {
    const book = new OrderBook('T/USD', 1, 0);
    book.loadSnapshot(snapshot(1, lv(100, 99, 98, 97), lv(101, 102, 103, 104)), 4);
    const view = new OrderBookView(book, 2);
    searches = 0;
    for (let i = 0; i < 10; i++) {
      book.coveredDepth('bids');
      book.covers(3);
      void [view.bidCount, view.askCount, view.bestBidPrice(), view.bestAskPrice(), view.isCrossed(), view.bestBid()];
    }
    assert.equal(searches, 0, 'reads');
    const h = harness(2, 6); // refresh below 4 covered levels, resync below 2
    h.sync.onDelta(delta(11));
    await h.answer(0, snapshot(10, lv(100, 99, 98, 97, 96, 95), lv(101, 102, 103, 104, 105, 106)));
    searches = 0;
    h.sync.onDelta(delta(12, [['99.5', '1']], [['102.0', '3']]));
    assert.equal(searches, 2, 'one per level, no coverage or refresh check');
    await h.sync.close();
  } finally {
    NumberSide.prototype.search = original;
  }
});

// ------------------------------------------------------------------ the consumer's view

test('the view shows at most the depth asked, and never a level beyond what the snapshot covered', () => {
  const book = new OrderBook('T/USD', 1, 0);
  book.loadSnapshot(snapshot(7, lv(100, 99, 98, 97), lv(101, 102)), 4);
  book.applyLevels('bids', [['90.0', '5']]); // beyond the covered edge (97)
  const all = new OrderBookView(book);
  assert.deepEqual(prices(all.bids()), ['100', '99', '98', '97']);
  assert.equal(all.bidCount, 4);
  assert.equal(all.askCount, 2);
  const two = new OrderBookView(book, 2);
  assert.deepEqual(prices(two.bids(10)), ['100', '99']);
  assert.deepEqual(prices(two.asks()), ['101', '102']);
  assert.deepEqual(two.topStrings('bids', 5), [['100.0', '1'], ['99.0', '1']]);
  assert.deepEqual(two.snapshot(1).bids.length, 1);
  assert.equal(String(two.snapshot().seq), '7');
  assert.equal(two.bestBidPrice(), 1000);
  assert.equal(two.event, 'snapshot');
  two.show(book, undefined);
  assert.equal(two.event, 'update');
  assert.equal(two.resyncReason, undefined);
  two.show(book, 'gap');
  assert.equal(two.resyncReason, 'gap');
  assert.equal(all.event, 'snapshot', 'markers are per view');
  // Every covered bid gone: the view shows none, although the book still holds the one at 90.
  book.applyLevels('bids', [['100.0', '0'], ['99.0', '0'], ['98.0', '0'], ['97.0', '0']]);
  assert.equal(all.bidCount, 0);
  assert.equal(all.bestBid(), undefined);
  assert.ok(Number.isNaN(all.bestBidPrice()));
  assert.equal(all.isCrossed(), false);
});

test('the snapshot asks for the depth plus headroom within the venue maximum, and refreshes halfway through it', () => {
  assert.equal(snapshotLevelsFor(undefined, 5000), 5000);
  assert.equal(snapshotLevelsFor(10, 5000), 60);
  assert.equal(snapshotLevelsFor(50, 5000), 100);
  assert.equal(snapshotLevelsFor(500, 1000), 1000);
  assert.equal(snapshotLevelsFor(1000, 1000), 1000);
  assert.deepEqual(coverageLimits(50, 100), { floor: 50, refreshBelow: 75 });
  assert.deepEqual(coverageLimits(10, 60), { floor: 10, refreshBelow: 35 });
  assert.deepEqual(coverageLimits(undefined, 5000), { floor: 1, refreshBelow: 2500 });
  // A depth at (or near) the venue's largest snapshot: kept exact as far as covered, refreshed at 3/4.
  assert.deepEqual(coverageLimits(1000, 1000), { floor: 500, refreshBelow: 750 });
  assert.deepEqual(coverageLimits(990, 1000), { floor: 500, refreshBelow: 750 });
  assert.deepEqual(coverageLimits(2, 3), { floor: 2, refreshBelow: undefined });
  assert.deepEqual(coverageLimits(1, 1), { floor: 1, refreshBelow: undefined });
});

// ------------------------------------------------------------------ the refreshing synchronizer

class ManualFetcher {
  readonly calls: Array<{ signal: AbortSignal; resolve: (m: DepthMessage) => void }> = [];
  readonly fetch = (signal: AbortSignal): Promise<DepthMessage> => new Promise((resolve) => this.calls.push({ signal, resolve }));
  nth(n: number): Promise<ManualFetcher['calls'][number]> {
    return waitFor(() => this.calls[n], `snapshot request #${n + 1}`);
  }
}

function harness(depth: number | undefined, snapshotDepth: number, maxDepth?: number) {
  const fetcher = new ManualFetcher();
  const shown: Array<{ rebuilt: ResyncReason | undefined; seq: string; asks: string[] }> = [];
  const events: BookSyncEvent[] = [];
  const sync = new RefreshingBookSync({
    symbol: 'T/USD',
    priceScale: 1,
    qtyScale: 0,
    rules: contiguousRules,
    fetchSnapshot: fetcher.fetch,
    snapshotDepth,
    ...(depth === undefined ? {} : { depth }),
    ...(maxDepth === undefined ? {} : { maxDepth }),
    onBook: (book, rebuilt) => {
      const view = new OrderBookView(book, depth);
      shown.push({ rebuilt, seq: String(book.seq), asks: prices(view.asks()) });
    },
    onEvent: (e) => events.push(e),
    delay: async () => {},
    random: () => 1,
  });
  /** Answers snapshot request `n` and waits until the book it gives was shown (or taken in silently). */
  const answer = async (n: number, msg: DepthMessage, shownBefore = shown.length): Promise<void> => {
    (await fetcher.nth(n)).resolve(msg);
    await waitFor(() => shown.length > shownBefore || sync.state === 'live', 'the snapshot taken');
    await new Promise((r) => setImmediate(r));
  };
  return { sync, fetcher, shown, events, answer };
}

test('refreshes from a new snapshot while live and takes over at the same update id, unseen by the consumer', async () => {
  const h = harness(2, 6); // refresh below 4 covered levels, resync below 2
  h.sync.onDelta(delta(11));
  await h.answer(0, snapshot(10, lv(100), lv(101, 102, 103, 104, 105, 106)));
  assert.deepEqual(h.shown.at(-1), { rebuilt: 'initial', seq: '11', asks: ['101', '102'] });
  h.sync.onDelta(delta(12, [], [['101.0', '0']])); // 5 covered
  h.sync.onDelta(delta(13, [], [['102.0', '0']])); // 4 covered
  assert.equal(h.fetcher.calls.length, 1);
  h.sync.onDelta(delta(14, [], [['103.0', '0']])); // 3 covered: refresh
  assert.equal(h.sync.refreshes.started, 1);
  const refresh = await h.fetcher.nth(1);
  h.sync.onDelta(delta(15, [], [['110.0', '3']])); // beyond the edge: held, not covered
  assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '15', asks: ['104', '105'] });
  // The venue's book reaches deeper than the old snapshot: 107, 108 and 111 were never sent as deltas. The
  // snapshot is at 16, newer than the primary's 15 (its delta is still on the way): the refresh waits.
  refresh.resolve(snapshot(16, lv(100), lv(105, 106, 107, 108, 110, 111)));
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  assert.equal(h.sync.refreshes.seamless, 0);
  h.sync.onDelta(delta(16, [], [['104.0', '0']])); // the primary takes it; the refresh has it already
  assert.equal(h.sync.refreshes.seamless, 0);
  assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '16', asks: ['105', '106'] });
  h.sync.onDelta(delta(17, [['99.0', '1']])); // both at 17: the refresh takes over
  assert.equal(h.sync.refreshes.seamless, 1);
  assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '17', asks: ['105', '106'] });
  assert.equal(h.sync.book?.coveredDepth('asks'), 6);
  h.sync.onDelta(delta(18, [], [['105.0', '0'], ['106.0', '0']]));
  assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '18', asks: ['107', '108'] }, 'the levels only the new snapshot knew');
  assert.equal(h.fetcher.calls.length, 2);
  assert.ok(h.shown.slice(1).every((s) => s.rebuilt === undefined), 'no resync was shown');
  // Eight deltas, each counted once (the refresh's catching up on them is not counted again); two snapshots.
  const { applied, skipped, resyncs, snapshotsFetched } = h.sync.stats;
  assert.deepEqual({ applied, skipped, resyncs, snapshotsFetched }, { applied: 8, skipped: 0, resyncs: 0, snapshotsFetched: 2 });
  await h.sync.close();
});

test('never shows fewer covered levels than asked: undoes the update, keeps the last good book, rebuilds (coverage)', async () => {
  const h = harness(2, 3); // no headroom to refresh in (3 - 2 < 2)
  h.sync.onDelta(delta(11));
  await h.answer(0, snapshot(10, lv(100), lv(101, 102, 103)));
  h.sync.onDelta(delta(12, [], [['101.0', '0']])); // 2 covered: still exact
  assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '12', asks: ['102', '103'] });
  assert.equal(h.fetcher.calls.length, 1);
  h.sync.onDelta(delta(13, [], [['102.0', '0'], ['104.0', '1']])); // 1 covered (104 lies beyond the edge)
  assert.equal(h.shown.length, 2, 'the uncovered book was not shown');
  assert.equal(h.sync.state, 'resyncing');
  assert.deepEqual(prices(new OrderBookView(h.sync.book as OrderBook, 2).asks()), ['102', '103'], 'the last good book stays as it was');
  (await h.fetcher.nth(1)).resolve(snapshot(13, lv(100), lv(103, 104, 105)));
  await waitFor(() => h.shown.length === 3, 'the rebuilt book');
  assert.deepEqual(h.shown.at(-1), { rebuilt: 'coverage', seq: '13', asks: ['103', '104'] });
  await h.sync.close();
});

test('a refresh still under way when coverage runs out takes over as the rebuilt book; the primary fetches no snapshot of its own', async () => {
  const h = harness(2, 6);
  h.sync.onDelta(delta(11));
  await h.answer(0, snapshot(10, lv(100), lv(101, 102, 103, 104, 105, 106)));
  h.sync.onDelta(delta(12, [], [['101.0', '0'], ['102.0', '0'], ['103.0', '0']])); // 3 covered: refresh
  const refresh = await h.fetcher.nth(1);
  h.sync.onDelta(delta(13, [], [['104.0', '0'], ['105.0', '0']])); // 1 covered: coverage resync, left to the refresh
  h.sync.onDelta(delta(14, [], [['110.0', '1']]));
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  assert.equal(h.sync.state, 'resyncing');
  assert.equal(h.fetcher.calls.length, 2, 'the refresh\'s snapshot is the only one on its way');
  refresh.resolve(snapshot(12, lv(100), lv(104, 105, 106, 107, 108, 109)));
  await waitFor(() => h.shown.at(-1)?.rebuilt === 'coverage', 'the refresh taking over');
  assert.deepEqual(h.shown.at(-1), { rebuilt: 'coverage', seq: '14', asks: ['106', '107'] });
  assert.equal(h.sync.state, 'live');
  h.sync.onDelta(delta(15, [['99.0', '1']]));
  assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '15', asks: ['106', '107'] });
  assert.equal(h.fetcher.calls.length, 2);
  // Five deltas, each counted once: 11, 12 and 15 applied to the book shown; 13 (undone) and 14 came while the
  // primary waited for the refresh, which took them. One resync (coverage), two snapshots.
  const { applied, skipped, resyncs, snapshotsFetched } = h.sync.stats;
  assert.deepEqual({ applied, skipped, resyncs, snapshotsFetched }, { applied: 3, skipped: 2, resyncs: 1, snapshotsFetched: 2 });
  await h.sync.close();
});

test('a coverage resync left to a refresh fetches its own snapshot once the refresh is dropped', async () => {
  const h = harness(2, 6);
  h.sync.onDelta(delta(11));
  await h.answer(0, snapshot(10, lv(100), lv(101, 102, 103, 104, 105, 106)));
  h.sync.onDelta(delta(12, [], [['101.0', '0'], ['102.0', '0'], ['103.0', '0']])); // 3 covered: refresh
  const refresh = await h.fetcher.nth(1);
  h.sync.onDelta(delta(13, [], [['104.0', '0'], ['105.0', '0']])); // 1 covered: left to the refresh
  h.sync.onDisconnect(); // the refresh is moot; the primary rebuilds by itself
  assert.equal(refresh.signal.aborted, true);
  h.sync.onDelta(delta(20));
  const own = await h.fetcher.nth(2);
  own.resolve(snapshot(20, lv(100), lv(104, 105, 106, 107, 108, 109)));
  await waitFor(() => h.sync.state === 'live', 'rebuilt from its own snapshot');
  assert.equal(h.shown.at(-1)?.rebuilt, 'coverage', 'the rebuild keeps the reason it started with');
  await h.sync.close();
});

test('while a refresh runs, a bad message is reported once (by the primary); the refresh\'s own snapshot problems are reported', async () => {
  const h = harness(2, 6);
  h.sync.onDelta(delta(11));
  await h.answer(0, snapshot(10, lv(100), lv(101, 102, 103, 104, 105, 106)));
  h.sync.onDelta(delta(12, [], [['101.0', '0'], ['102.0', '0'], ['103.0', '0']])); // 3 covered: refresh
  const refresh = await h.fetcher.nth(1);
  const reported = (): string[] => h.events.flatMap((e) => (e.type === 'state' ? [] : [e.type === 'decode-failed' && e.snapshot === true ? 'snapshot decode-failed' : e.type]));
  h.sync.onDelta({ ...delta(13), firstSeq: 20 }); // ends before it begins: nonsense, refused by both
  assert.deepEqual(reported(), ['decode-failed'], 'one bad frame, one report');
  assert.equal(h.sync.stats.invalid, 1);
  // The refresh's snapshot is unreadable: the shared feed does not explain it, so it is reported (and refetched).
  refresh.resolve(snapshot(12, [['x', '1']], lv(104)));
  await h.fetcher.nth(2);
  assert.deepEqual(reported(), ['decode-failed', 'snapshot decode-failed']);
  assert.equal(h.sync.stats.snapshotErrors, 1);
  await h.sync.close();
});

test('a depth as deep as the largest snapshot is shown as far as covered, refreshing instead of resyncing on every update', async () => {
  const h = harness(4, 4); // floor 2, refresh below 3
  h.sync.onDelta(delta(11));
  await h.answer(0, snapshot(10, lv(100), lv(101, 102, 103, 104)));
  assert.deepEqual(h.shown.at(-1), { rebuilt: 'initial', seq: '11', asks: ['101', '102', '103', '104'] });
  h.sync.onDelta(delta(12, [], [['101.0', '0'], ['105.0', '1']])); // 105 lies beyond the edge: not shown
  assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '12', asks: ['102', '103', '104'] });
  assert.equal(h.fetcher.calls.length, 1);
  h.sync.onDelta(delta(13, [], [['102.0', '0']])); // 2 covered: refresh, still live
  assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '13', asks: ['103', '104'] });
  await h.fetcher.nth(1);
  assert.equal(h.sync.state, 'live');
  await h.sync.close();
});

test('complete sides and venue windows never refresh, however far the book moves', async () => {
  for (const h of [harness(2, 10), harness(2, 3, 3)]) {
    h.sync.onDelta(delta(11));
    await h.answer(0, snapshot(10, lv(100), lv(101, 102, 103))); // fewer than 10 asked, or the whole window
    for (let i = 0; i < 20; i++) h.sync.onDelta(delta(12 + i, [], [[(101 + i).toFixed(1), '0'], [(104 + i).toFixed(1), '1']]));
    assert.equal(h.fetcher.calls.length, 1);
    assert.deepEqual(h.shown.at(-1), { rebuilt: undefined, seq: '31', asks: ['121', '122'] });
    await h.sync.close();
  }
});

test('a resync for another reason drops the refresh under way', async () => {
  const h = harness(2, 6);
  h.sync.onDelta(delta(11));
  await h.answer(0, snapshot(10, lv(100), lv(101, 102, 103, 104, 105, 106)));
  h.sync.onDelta(delta(12, [], [['101.0', '0'], ['102.0', '0'], ['103.0', '0']]));
  const refresh = await h.fetcher.nth(1);
  h.sync.onDelta(delta(20)); // a gap
  assert.equal(refresh.signal.aborted, true);
  const resync = await h.fetcher.nth(2);
  resync.resolve(snapshot(20, lv(100), lv(104, 105, 106, 107, 108, 109)));
  await waitFor(() => h.shown.at(-1)?.rebuilt === 'gap', 'the gap resync');
  h.sync.onDisconnect();
  await h.sync.close();
  assert.equal(h.sync.state, 'closed');
});
