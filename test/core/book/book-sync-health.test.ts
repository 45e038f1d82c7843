/**
 * BookSynchronizer against ids a healthy stream never sends and feeds that stop being accepted: self-contradicting
 * ids refused as `decode`, implausible jumps ahead or back rebuilding the book (`id-reset`), snapshots far from
 * the stream refetched, the liveness window (`stalled`), and the rebuild backoff ending once the feed is clean.
 * Fake rules and a hand-driven fetcher, delay and clock; the venues' rules are replayed in test/exchanges.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BookSynchronizer } from '../../../src/core/book/book-sync.js';
import type { BookSyncEvent, BookSyncOptions } from '../../../src/core/book/book-sync.js';
import type { OrderBook } from '../../../src/core/book/order-book.js';
import { VenueError } from '../../../src/core/errors.js';
import type { UpdateId } from '../../../src/core/json.js';
import type { DepthMessage } from '../../../src/core/model.js';
import type { BookRules } from '../../../src/core/venue.js';
import { waitFor } from '../../helpers/wait.js';

const BOUNDS = { maxAhead: 1000, maxBehind: 100 };
const big = (n: UpdateId): bigint => BigInt(n);

/** Binance-spot-like: `firstSeq..seq` per delta, contiguous; ids compared exactly (bigint-safe). */
const contiguousRules: BookRules = {
  snapshotSource: 'rest',
  idBounds: BOUNDS,
  alignFirst: (snap, d) => (big(d.seq) <= big(snap) ? 'drop' : big(d.firstSeq as UpdateId) <= big(snap) + 1n ? 'apply' : 'refetch'),
  next: (last, d) => (big(d.seq) <= big(last) ? 'skip' : big(d.firstSeq as UpdateId) === big(last) + 1n ? 'apply' : 'gap'),
};

/** Bybit-like: in-band snapshots, `seq` +1 per delta. */
const streamRules: BookRules = {
  snapshotSource: 'stream',
  idBounds: BOUNDS,
  alignFirst: () => 'apply',
  next: (last, d) => (big(d.seq) <= big(last) ? 'skip' : big(d.seq) === big(last) + 1n ? 'apply' : 'gap'),
};

/** OKX-like: each delta names the id before it; a chained id may go back (the venue's reset). */
const chainRules: BookRules = {
  snapshotSource: 'stream-or-rest',
  idBounds: BOUNDS,
  alignFirst: (snap, d) => (big(d.prevSeq as UpdateId) === big(snap) ? 'apply' : big(d.seq) <= big(snap) ? 'drop' : 'refetch'),
  next: (last, d) => (big(d.prevSeq as UpdateId) === big(last) ? 'apply' : 'gap'),
};

type Lv = Array<[string, string]>;
const delta = (first: UpdateId, seq: UpdateId, bids: Lv = []): DepthMessage => ({ kind: 'delta', symbol: 'T/USD', seq, firstSeq: first, bids, asks: [], exchangeTime: 0, receivedAt: 0 });
const chained = (prev: UpdateId, seq: UpdateId, bids: Lv = []): DepthMessage => ({ kind: 'delta', symbol: 'T/USD', seq, prevSeq: prev, bids, asks: [], exchangeTime: 0, receivedAt: 0 });
const snapshot = (seq: UpdateId, bids: Lv = [['10.0', '5']]): DepthMessage => ({ kind: 'snapshot', symbol: 'T/USD', seq, bids, asks: [['10.1', '4']], exchangeTime: 0, receivedAt: 0 });
const ABSURD = 99999999999999999999n; // the value the hostile venue sent

interface Harness {
  sync: BookSynchronizer;
  fetches: Array<{ resolve: (m: DepthMessage) => void; signal: AbortSignal }>;
  waits: Array<{ ms: number; signal: AbortSignal; release: () => void }>;
  books: Array<{ event: string; reason: string | undefined; seq: string }>;
  events: BookSyncEvent[];
  resubscribes: number;
  clock: { t: number };
}

function harness(overrides: Partial<BookSyncOptions> = {}): Harness {
  const h = { fetches: [], waits: [], books: [], events: [], resubscribes: 0, clock: { t: 0 } } as unknown as Harness;
  h.sync = new BookSynchronizer({
    symbol: 'T/USD',
    priceScale: 1,
    qtyScale: 0,
    rules: contiguousRules,
    fetchSnapshot: (signal) => new Promise((resolve) => h.fetches.push({ resolve, signal })),
    resubscribe: () => h.resubscribes++,
    onBook: (b: OrderBook) => h.books.push({ event: b.event, reason: b.resyncReason, seq: String(b.seq) }),
    onEvent: (e) => h.events.push(e),
    // A delay the test releases by hand; it rejects when its signal aborts, like the real one.
    delay: (ms, signal) =>
      new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        h.waits.push({ ms, signal, release: resolve });
      }),
    random: () => 1,
    now: () => h.clock.t,
    livenessMs: 1000,
    ...overrides,
  });
  return h;
}

/** Takes the book live at `seq` (REST rules): one delta, then the snapshot under it. */
async function live(h: Harness, seq: number): Promise<void> {
  h.sync.onDelta(delta(seq, seq));
  (await waitFor(() => h.fetches[h.fetches.length - 1], 'a snapshot request')).resolve(snapshot(seq - 1));
  await waitFor(() => h.sync.state === 'live', 'live');
}

const integrityProblems = (h: Harness): string[] =>
  h.events.flatMap((e) => ((e.type === 'id-reset' || e.type === 'stalled') && e.error.code === 'book-integrity' ? [`${e.type}: ${e.error.message}`] : []));
const decodeErrors = (h: Harness): string[] => h.events.flatMap((e) => (e.type === 'decode-failed' && e.error.code === 'decode' ? [e.error.message] : []));

test('a delta whose own ids contradict each other is refused as a decode problem, and the chain goes on', async () => {
  const h = harness();
  await live(h, 11);
  h.sync.onDelta(delta(12, ABSURD)); // the hostile frame: a span no real message covers
  h.sync.onDelta(delta(13, 12)); // ends before it starts
  h.sync.onDelta({ ...delta(12, 12), prevSeq: 12 }); // follows an id that is not before it
  assert.equal(h.sync.state, 'live');
  assert.equal(h.sync.book?.seq, 11, 'nothing was applied');
  assert.equal(h.sync.stats.invalid, 3);
  assert.equal(decodeErrors(h).length, 3);
  assert.match(decodeErrors(h)[0] ?? '', /T\/USD: depth message spans 12\.\.99999999999999999999/);
  h.sync.onDelta(delta(12, 12, [['9.9', '1']]));
  assert.equal(h.sync.book?.seq, 12, 'the next real delta chains on the book as if the nonsense never came');
  assert.deepEqual([h.sync.stats.resyncs, h.sync.stats.idResets, h.books.at(-1)?.event], [0, 0, 'update']);
});

test('an id implausibly far ahead rebuilds the book (id-reset) and never reaches the rebuilt one', async () => {
  const h = harness();
  await live(h, 11);
  h.sync.onDelta(delta(ABSURD, ABSURD)); // its own span is fine; where it lands is not
  assert.equal(h.sync.state, 'resyncing');
  assert.deepEqual([h.sync.stats.idResets, h.sync.stats.resyncs, h.sync.stats.gaps], [1, 1, 0]);
  assert.deepEqual(integrityProblems(h), [
    "id-reset: book-integrity: T/USD: update id 99999999999999999999 is implausibly far from the book's 11 (the venue restarted its ids, or sent a nonsense one): rebuilding the book",
  ]);
  assert.equal(h.sync.book?.seq, 11, 'the last good book stays visible');
  h.sync.onDelta(delta(12, 12));
  h.sync.onDelta(delta(13, 13, [['9.9', '1']]));
  (await waitFor(() => h.fetches[1], 'the rebuild snapshot')).resolve(snapshot(12));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.deepEqual(h.books.at(-1), { event: 'snapshot', reason: 'id-reset', seq: '13' });
  assert.equal(h.sync.stats.invalid, 1, 'the absurd delta was refused against the snapshot');
  assert.match(decodeErrors(h)[0] ?? '', /id 99999999999999999999 is implausibly far from the snapshot's 12/);
  h.sync.onDelta(delta(14, 14));
  assert.deepEqual([h.sync.book?.seq, h.books.at(-1)?.event], [14, 'update']);
});

test('an id implausibly far behind is a reset, not old data: the book follows a venue that restarted its ids', async () => {
  const h = harness();
  await live(h, 5000);
  h.sync.onDelta(delta(4950, 4960)); // merely old: skipped
  assert.deepEqual([h.sync.state, h.sync.stats.skipped], ['live', 1]);
  h.sync.onDelta(delta(1, 2)); // the venue starts again from 1
  assert.equal(h.sync.state, 'resyncing');
  assert.equal(h.sync.stats.idResets, 1);
  h.sync.onDelta(delta(3, 4, [['9.9', '2']]));
  (await waitFor(() => h.fetches[1], 'the rebuild snapshot')).resolve(snapshot(2));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.deepEqual(h.books.at(-1), { event: 'snapshot', reason: 'id-reset', seq: '4' });
  h.sync.onDelta(delta(5, 5));
  assert.equal(h.sync.book?.seq, 5, 'new data is accepted again');
});

test('a REST snapshot whose id is implausibly far from the stream is refused and fetched again', async () => {
  const h = harness();
  h.sync.onDelta(delta(101, 101));
  (await waitFor(() => h.fetches[0], 'snapshot #1')).resolve(snapshot(ABSURD));
  (await waitFor(() => h.waits[0], 'the retry backoff')).release();
  (await waitFor(() => h.fetches[1], 'snapshot #2')).resolve(snapshot(-5000));
  h.sync.onDelta(delta(102, 102));
  (await waitFor(() => h.waits[1], 'the retry backoff')).release();
  (await waitFor(() => h.fetches[2], 'snapshot #3')).resolve(snapshot(100));
  await waitFor(() => h.sync.state === 'live', 'live');
  assert.equal(h.sync.book?.seq, 102);
  assert.deepEqual(decodeErrors(h), [
    "decode: T/USD: depth message snapshot id 99999999999999999999 is implausibly far from the stream's (101)",
    "decode: T/USD: depth message snapshot id -5000 is implausibly far from the stream's (102)",
  ]);
  assert.deepEqual(h.waits.map((w) => w.ms), [250, 500], 'retried with the snapshot backoff');
});

test('an in-band snapshot with an absurd id is undone by the next delta instead of freezing the book', () => {
  const h = harness({ rules: streamRules, fetchSnapshot: undefined });
  h.sync.onDelta(snapshot(10));
  h.sync.onDelta(delta(11, 11));
  h.sync.onDelta(snapshot(ABSURD)); // taken: a snapshot always resets the book
  h.sync.onDelta(delta(12, 12));
  assert.deepEqual([h.sync.state, h.resubscribes, h.sync.stats.idResets], ['resyncing', 1, 1]);
  h.sync.onDelta(snapshot(20));
  h.sync.onDelta(delta(21, 21));
  assert.deepEqual([h.sync.state, h.sync.book?.seq], ['live', 21]);
  assert.equal(h.books.find((b) => b.seq === '20')?.reason, 'id-reset');
});

test('a chained id may go back (the venue reset after maintenance); an absurd chained one ahead may not', () => {
  const h = harness({ rules: chainRules });
  h.sync.onDelta(snapshot(5000));
  h.sync.onDelta(chained(5000, 3)); // OKX: seqId < prevSeqId, chained: accepted as is
  assert.deepEqual([h.sync.state, h.sync.book?.seq, h.sync.stats.idResets], ['live', 3, 0]);
  h.sync.onDelta(chained(3, ABSURD));
  assert.deepEqual([h.sync.state, h.sync.stats.idResets, h.resubscribes], ['resyncing', 1, 1]);
});

test('rules that cannot sequence a delta (a field missing) make it a decode problem, not a crash', async () => {
  const throwing: BookRules = {
    ...contiguousRules,
    next: (last, d) => {
      if (d.firstSeq === undefined) throw new VenueError('decode', 'depth event without U cannot be sequenced');
      return contiguousRules.next(last, d);
    },
  };
  const h = harness({ rules: throwing });
  await live(h, 11);
  const { firstSeq: _dropped, ...noFirst } = delta(12, 12);
  h.sync.onDelta(noFirst);
  assert.deepEqual([h.sync.state, h.sync.stats.invalid, decodeErrors(h)], ['live', 1, ['decode: depth event without U cannot be sequenced']]);
});

// ------------------------------------------------------------------ liveness

test('a live book that receives only refused messages for longer than livenessMs resyncs (stalled)', async () => {
  const h = harness();
  await live(h, 11);
  for (const t of [0, 600, 1000]) {
    h.clock.t = t;
    h.sync.onDelta(delta(5, 5)); // old
  }
  assert.equal(h.sync.state, 'live', 'not before the window is over');
  h.clock.t = 1200;
  h.sync.onDelta(delta(12, 12)); // accepted: the window starts again at the next refusal
  for (const t of [1300, 2000, 2300]) {
    h.clock.t = t;
    h.sync.onDelta(delta(13, ABSURD)); // nonsense counts as refused too
  }
  assert.equal(h.sync.state, 'live');
  h.clock.t = 2301;
  h.sync.onDelta(delta(5, 5));
  assert.equal(h.sync.state, 'resyncing');
  assert.deepEqual([h.sync.stats.stalls, h.sync.stats.resyncs], [1, 1]);
  assert.deepEqual(integrityProblems(h), [
    'stalled: book-integrity: T/USD: messages kept arriving for over 1000 ms and none could be applied (old, unplaceable or nonsense): rebuilding the book',
  ]);
  h.sync.onDelta(delta(13, 13));
  (await waitFor(() => h.fetches[1], 'the rebuild snapshot')).resolve(snapshot(12));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.deepEqual(h.books.at(-1), { event: 'snapshot', reason: 'stalled', seq: '13' });
});

test('deltas that never find an in-band snapshot ask for one at once, then again once per liveness window', () => {
  const h = harness({ rules: streamRules, fetchSnapshot: undefined });
  // A delta before any snapshot: the book joined a subscription already under way, which sends no snapshot.
  h.sync.onDelta(delta(7, 7));
  assert.deepEqual([h.resubscribes, h.sync.stats.stalls, h.sync.state], [1, 0, 'syncing'], 'asked at once');
  // Stalls at 1001; the next window starts with the next refusal (1500) and ends after 2500.
  for (const t of [500, 1000, 1001, 1500, 2000, 2500]) {
    h.clock.t = t;
    h.sync.onDelta(delta(7, 7));
  }
  assert.deepEqual([h.resubscribes, h.sync.stats.stalls], [2, 1]);
  h.clock.t = 2501;
  h.sync.onDelta(delta(7, 7));
  assert.deepEqual([h.resubscribes, h.sync.stats.stalls, h.sync.state], [3, 2, 'syncing']);
  h.sync.onDelta(snapshot(9));
  assert.equal(h.sync.state, 'live');
});

test('no stall is declared while a snapshot fetch is under way: it reports and backs off by itself', async () => {
  const h = harness();
  h.sync.onDelta(delta(1, 1));
  await waitFor(() => h.fetches[0], 'the snapshot request');
  for (let t = 0; t <= 5000; t += 500) {
    h.clock.t = t;
    h.sync.onDelta(delta(3, 2)); // nonsense, refused
  }
  assert.deepEqual([h.sync.stats.stalls, h.fetches.length, h.fetches[0]?.signal.aborted], [0, 1, false]);
});

test('livenessMs must be a positive number of milliseconds', () => {
  for (const livenessMs of [0, -1, Number.NaN, '30000' as unknown as number]) {
    assert.throws(
      () => harness({ livenessMs }),
      (err: unknown) => VenueError.is(err, 'invalid-argument') && /livenessMs/.test((err as Error).message),
      String(livenessMs),
    );
  }
});

// ------------------------------------------------------------------ the rebuild backoff after a bad burst

test('the rebuild backoff grows while the feed keeps breaking and ends as soon as it chains cleanly again', async () => {
  const h = harness({ backoff: { initialMs: 1000, maxMs: 60_000 }, cleanAfter: 5 });
  await live(h, 11);
  // A burst: every rebuilt book breaks on its first delta, so the rebuilds are spaced out more and more.
  h.sync.onDelta(delta(13, 13));
  (await waitFor(() => h.fetches[1], 'rebuild #1, at once')).resolve(snapshot(13));
  await waitFor(() => h.sync.state === 'live', 'live');
  h.sync.onDelta(delta(15, 15));
  const first = await waitFor(() => h.waits[0], 'the first rebuild wait');
  assert.equal(first.ms, 1000);
  h.sync.onDelta(delta(17, 17)); // buffered, does not chain on 15
  h.sync.onDelta(delta(19, 19));
  assert.equal(first.signal.aborted, false, 'a feed still breaking does not end the wait');
  first.release();
  (await waitFor(() => h.fetches[2], 'rebuild #2')).resolve(snapshot(19));
  await waitFor(() => h.sync.state === 'live', 'live');
  h.sync.onDelta(delta(21, 21));
  const second = await waitFor(() => h.waits[1], 'the second rebuild wait');
  assert.equal(second.ms, 2000, 'longer');
  // The burst is over: five deltas in a row chain on each other.
  for (let s = 22; s <= 26; s++) h.sync.onDelta(delta(s, s, [['9.9', String(s)]]));
  assert.equal(second.signal.aborted, true, 'the wait ended once the feed was clean');
  (await waitFor(() => h.fetches[3], 'rebuild #3 without waiting the backoff out')).resolve(snapshot(20));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.deepEqual([h.sync.book?.seq, h.books.at(-1)?.reason], [26, 'gap']);
  // The backoff started over: the next break rebuilds at once.
  h.sync.onDelta(delta(30, 30));
  await waitFor(() => h.fetches[4], 'rebuild #4');
  assert.equal(h.waits.length, 2, 'no new wait');
});
