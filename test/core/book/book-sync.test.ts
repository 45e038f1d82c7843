/** Tests for BookSynchronizer with fake rules and a hand-driven snapshot fetcher. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BookSynchronizer } from '../../../src/core/book/book-sync.js';
import type { BookSyncEvent, BookSyncOptions } from '../../../src/core/book/book-sync.js';
import type { OrderBook } from '../../../src/core/book/order-book.js';
import { VenueError } from '../../../src/core/errors.js';
import type { DepthMessage } from '../../../src/core/model.js';
import type { BookRules } from '../../../src/core/venue.js';
import { waitFor } from '../../helpers/wait.js';

/** Binance-spot-like rules on plain numbers: `firstSeq`..`seq` per delta, contiguous. */
const contiguousRules: BookRules = {
  snapshotSource: 'rest',
  idBounds: { maxAhead: 1000, maxBehind: 100 },
  alignFirst: (snap, d) => (Number(d.seq) <= Number(snap) ? 'drop' : Number(d.firstSeq) <= Number(snap) + 1 ? 'apply' : 'refetch'),
  next: (last, d) => (Number(d.seq) <= Number(last) ? 'skip' : Number(d.firstSeq) === Number(last) + 1 ? 'apply' : 'gap'),
};

/** Bybit-like in-band snapshots, `seq` +1 per delta. */
const streamRules: BookRules = {
  snapshotSource: 'stream',
  idBounds: { maxAhead: 1000, maxBehind: 100 },
  alignFirst: () => 'apply',
  next: (last, d) => (Number(d.seq) <= Number(last) ? 'skip' : Number(d.seq) === Number(last) + 1 ? 'apply' : 'gap'),
};

type Lv = Array<[string, string]>;

function delta(first: number, seq: number, bids: Lv = [], asks: Lv = []): DepthMessage {
  return { kind: 'delta', symbol: 'T/USD', seq, firstSeq: first, bids, asks, exchangeTime: seq, receivedAt: seq };
}
function snapshot(seq: number, bids: Lv, asks: Lv): DepthMessage {
  return { kind: 'snapshot', symbol: 'T/USD', seq, bids, asks, exchangeTime: seq, receivedAt: seq };
}

/** A fetcher whose calls the test answers by hand, recording each call's signal. */
class ManualFetcher {
  readonly calls: Array<{ signal: AbortSignal; resolve: (m: DepthMessage) => void; reject: (e: unknown) => void }> = [];
  readonly fetch = (signal: AbortSignal): Promise<DepthMessage> =>
    new Promise((resolve, reject) => {
      this.calls.push({ signal, resolve, reject });
    });
  async nth(n: number): Promise<ManualFetcher['calls'][number]> {
    return waitFor(() => this.calls[n], `snapshot request #${n + 1}`);
  }
}

interface Harness {
  sync: BookSynchronizer;
  fetcher: ManualFetcher;
  emitted: Array<{ book: OrderBook; event: string; reason: string | undefined; top: string }>;
  /** Books that were crossed when handed to the consumer (must stay 0). */
  crossedEmits: number;
  events: BookSyncEvent[];
  delays: number[];
}

function harness(overrides: Partial<BookSyncOptions> = {}): Harness {
  const fetcher = new ManualFetcher();
  const emitted: Harness['emitted'] = [];
  const events: BookSyncEvent[] = [];
  const delays: number[] = [];
  const h = { fetcher, emitted, events, delays, crossedEmits: 0 } as Harness;
  h.sync = new BookSynchronizer({
    symbol: 'T/USD',
    priceScale: 1,
    qtyScale: 0,
    rules: contiguousRules,
    fetchSnapshot: fetcher.fetch,
    onBook: (book) => {
      if (book.isCrossed()) h.crossedEmits++;
      emitted.push({ book, event: book.event, reason: book.resyncReason, top: describeTop(book) });
    },
    onEvent: (e) => events.push(e),
    delay: async (ms) => {
      delays.push(ms); // no real waiting: the test asserts what was asked for
    },
    random: () => 1,
    ...overrides,
  });
  return h;
}

/** `bids|asks` of the whole book as `price:qty` lists, best first. */
function describeTop(book: OrderBook): string {
  const side = (s: 'bids' | 'asks'): string => book.topStrings(s, 100).map(([p, q]) => `${p}:${q}`).join(',');
  return `${side('bids')}|${side('asks')}`;
}

const BASE_BIDS: Lv = [['10.0', '5'], ['9.9', '3']];
const BASE_ASKS: Lv = [['10.1', '4'], ['10.2', '6']];

test('buffers deltas until the snapshot arrives, drops the covered ones and applies the rest', async () => {
  const h = harness();
  h.sync.onDelta(delta(98, 100, [['9.8', '1']])); // covered by the snapshot
  h.sync.onDelta(delta(101, 102, [['10.0', '7']])); // straddles it: applied
  h.sync.onDelta(delta(103, 103, [], [['10.1', '0']]));
  assert.equal(h.sync.state, 'syncing');
  assert.equal(h.emitted.length, 0, 'nothing emitted before the snapshot');
  (await h.fetcher.nth(0)).resolve(snapshot(101, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  assert.equal(h.emitted.length, 1);
  assert.deepEqual(h.emitted[0], { book: h.sync.book, event: 'snapshot', reason: 'initial', top: '10.0:7,9.9:3|10.2:6' });
  assert.equal(h.sync.book?.seq, 103);
  h.sync.onDelta(delta(104, 104, [['9.9', '0']]));
  assert.equal(h.emitted.length, 2);
  assert.equal(h.emitted[1]?.event, 'update');
  assert.equal(h.emitted[1]?.top, '10.0:7|10.2:6');
  assert.equal(h.emitted[1]?.book, h.emitted[0]?.book, 'updates go to the same book instance');
  assert.deepEqual([h.sync.stats.applied, h.sync.stats.skipped, h.sync.stats.snapshotsFetched], [3, 1, 1]);
});

test('refetches the snapshot when it is older than the first buffered delta', async () => {
  const h = harness();
  h.sync.onDelta(delta(201, 205, [['9.7', '2']]));
  (await h.fetcher.nth(0)).resolve(snapshot(150, BASE_BIDS, BASE_ASKS)); // too old: 151..200 unknown
  const second = await h.fetcher.nth(1);
  assert.equal(h.sync.state, 'syncing');
  assert.equal(h.emitted.length, 0);
  assert.ok((h.delays[0] ?? 0) > 0, 'the refetch waits a little');
  h.sync.onDelta(delta(206, 206, [['9.7', '3']]));
  second.resolve(snapshot(204, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  assert.equal(h.emitted[0]?.top, '10.0:5,9.9:3,9.7:3|10.1:4,10.2:6');
  assert.equal(h.sync.stats.snapshotsFetched, 2);
});

test('resyncs on a gap while the consumer still sees the last good book, untouched', async () => {
  const h = harness();
  h.sync.onDelta(delta(11, 11));
  (await h.fetcher.nth(0)).resolve(snapshot(10, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  h.sync.onDelta(delta(12, 12, [['10.0', '6']]));
  const good = h.sync.book as OrderBook;
  const goodView = describeTop(good);
  const emittedBefore = h.emitted.length;

  h.sync.onDelta(delta(14, 15, [['10.0', '99']], [['10.1', '0']])); // 13 is missing
  assert.equal(h.sync.state, 'resyncing');
  h.sync.onDelta(delta(16, 16, [['9.5', '1']])); // buffered, not applied to the visible book
  assert.equal(h.sync.book, good, 'the visible book is still the last good one');
  assert.equal(describeTop(good), goodView, 'and it was not modified');
  assert.equal(good.seq, 12);
  assert.equal(h.emitted.length, emittedBefore, 'nothing emitted while resyncing');

  (await h.fetcher.nth(1)).resolve(snapshot(14, [['10.0', '8']], [['10.1', '2'], ['10.3', '1']]));
  await waitFor(() => h.sync.state === 'live', 'live again');
  const rebuilt = h.emitted.at(-1);
  assert.notEqual(rebuilt?.book, good, 'a new book instance is swapped in');
  assert.equal(rebuilt?.event, 'snapshot');
  assert.equal(rebuilt?.reason, 'gap');
  assert.equal(rebuilt?.top, '10.0:99,9.5:1|10.3:1');
  assert.equal(describeTop(good), goodView, 'the old instance is left as it was');
  assert.deepEqual([h.sync.stats.gaps, h.sync.stats.resyncs], [1, 1]);
});

test('skips duplicate and old deltas without touching the book', async () => {
  const h = harness();
  h.sync.onDelta(delta(21, 21));
  (await h.fetcher.nth(0)).resolve(snapshot(20, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  h.sync.onDelta(delta(22, 23, [['10.0', '1']]));
  const n = h.emitted.length;
  h.sync.onDelta(delta(22, 23, [['10.0', '50']])); // duplicate
  h.sync.onDelta(delta(19, 21, [['9.9', '50']])); // old
  assert.equal(h.emitted.length, n);
  assert.equal(describeTop(h.sync.book as OrderBook), '10.0:1,9.9:3|10.1:4,10.2:6');
  assert.equal(h.sync.stats.skipped, 2);
  assert.equal(h.sync.state, 'live');
});

test('rebuilds from a fresh snapshot after a reconnect, starting from the first new delta', async () => {
  const h = harness();
  h.sync.onDelta(delta(31, 31));
  (await h.fetcher.nth(0)).resolve(snapshot(30, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  const good = h.sync.book;
  h.sync.onDisconnect();
  assert.equal(h.sync.state, 'resyncing');
  assert.equal(h.sync.book, good);
  assert.equal(h.fetcher.calls.length, 1, 'no snapshot until the stream is back');
  h.sync.onDelta(delta(40, 41, [['9.9', '9']]));
  (await h.fetcher.nth(1)).resolve(snapshot(40, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.equal(h.emitted.at(-1)?.reason, 'reconnect');
  assert.equal(h.emitted.at(-1)?.top, '10.0:5,9.9:9|10.1:4,10.2:6');
});

test('restarts the buffer cleanly when deltas overflow it while the snapshot is slow', async () => {
  const h = harness({ maxBuffered: 5 });
  for (let s = 101; s <= 112; s++) h.sync.onDelta(delta(s, s, [[`9.${s - 100}`, String(s)]]));
  assert.equal(h.sync.stats.bufferOverflows, 2);
  assert.deepEqual(
    h.events.filter((e) => e.type === 'buffer-overflow'),
    [
      { type: 'buffer-overflow', dropped: 5 },
      { type: 'buffer-overflow', dropped: 5 },
    ],
  );
  // The slow snapshot predates the restarted buffer (111..112), so it is refetched rather than misapplied.
  (await h.fetcher.nth(0)).resolve(snapshot(100, BASE_BIDS, BASE_ASKS));
  (await h.fetcher.nth(1)).resolve(snapshot(110, [['9.5', '1']], BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  assert.equal(h.emitted.length, 1);
  // (9.11 and 9.12 have two decimals on a one-decimal book: it widened, hence 9.50 and 10.10.)
  assert.equal(h.emitted[0]?.top, '9.50:1,9.12:112,9.11:111|10.10:4,10.20:6');
});

test('retries failed snapshot fetches with backoff and honours retryAfterMs', async () => {
  const h = harness({ backoff: { initialMs: 100, maxMs: 1_000 } });
  h.sync.onDelta(delta(51, 51));
  (await h.fetcher.nth(0)).reject(new VenueError('network', 'socket hang up'));
  (await h.fetcher.nth(1)).reject(new VenueError('rate-limited', 'too many requests', { retryAfterMs: 7_000 }));
  (await h.fetcher.nth(2)).reject(new Error('plain failure'));
  (await h.fetcher.nth(3)).resolve(snapshot(50, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  assert.deepEqual(h.delays, [100, 7_000, 400]);
  const failures = h.events.filter((e) => e.type === 'snapshot-failed');
  assert.deepEqual(
    failures.map((e) => (e.type === 'snapshot-failed' ? [e.error.code, e.attempt, e.retryInMs] : [])),
    [
      ['network', 1, 100],
      ['rate-limited', 2, 7_000],
      ['network', 3, 400],
    ],
  );
  assert.equal(h.sync.stats.snapshotErrors, 3);
});

test('rolls back an update that crosses the book and resyncs, keeping the last good book', async () => {
  const h = harness();
  h.sync.onDelta(delta(61, 61));
  (await h.fetcher.nth(0)).resolve(snapshot(60, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  const good = h.sync.book as OrderBook;
  const view = describeTop(good);
  h.sync.onDelta(delta(62, 62, [['10.0', '0'], ['10.5', '1']])); // bid above the best ask
  assert.equal(h.sync.state, 'resyncing');
  assert.equal(describeTop(good), view, 'the crossing update was undone');
  assert.equal(good.seq, 61);
  assert.equal(good.isCrossed(), false);
  assert.equal(h.sync.stats.crossed, 1);
  h.sync.onDelta(delta(63, 63));
  (await h.fetcher.nth(1)).resolve(snapshot(63, [['10.0', '1']], [['10.1', '1']]));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.equal(h.emitted.at(-1)?.reason, 'crossed');
  assert.equal(h.crossedEmits, 0, 'no crossed book was ever emitted');
});

test('resyncs on a checksum failure and never emits the failing book', async () => {
  let failNext = false;
  const rules: BookRules = { ...contiguousRules, verifyChecksum: () => !failNext };
  const h = harness({ rules });
  h.sync.onDelta(delta(71, 71));
  (await h.fetcher.nth(0)).resolve(snapshot(70, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  const tops = h.emitted.map((e) => e.top);
  failNext = true;
  h.sync.onDelta(delta(72, 72, [['9.9', '42']]));
  assert.deepEqual(h.emitted.map((e) => e.top), tops, 'nothing emitted');
  assert.equal(describeTop(h.sync.book as OrderBook), tops.at(-1));
  assert.equal(h.sync.stats.checksumFailures, 1);
  failNext = false;
  (await h.fetcher.nth(1)).resolve(snapshot(72, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.equal(h.emitted.at(-1)?.reason, 'checksum');
});

test('treats an undecodable delta as a gap and keeps the book as it was', async () => {
  const h = harness();
  h.sync.onDelta(delta(81, 81));
  (await h.fetcher.nth(0)).resolve(snapshot(80, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  const view = describeTop(h.sync.book as OrderBook);
  h.sync.onDelta(delta(82, 82, [['9.9', '1'], ['9.8', 'not-a-number']]));
  assert.equal(h.sync.state, 'resyncing');
  assert.equal(describeTop(h.sync.book as OrderBook), view);
  assert.ok(h.events.some((e) => e.type === 'decode-failed' && e.error.code === 'decode'));
  assert.equal(h.fetcher.calls.length, 1, 'the bad delta is not kept for the rebuild');
  h.sync.onDelta(delta(83, 83, [['9.9', '4']]));
  (await h.fetcher.nth(1)).resolve(snapshot(82, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.equal(h.emitted.at(-1)?.top, '10.0:5,9.9:4|10.1:4,10.2:6');
  assert.equal(h.emitted.at(-1)?.reason, 'gap');
});

test('resets to every in-band snapshot and asks for one after a gap', async () => {
  let resubscribes = 0;
  const h = harness({ rules: streamRules, fetchSnapshot: undefined, resubscribe: () => resubscribes++ });
  h.sync.onDelta(delta(5, 5, [['1.0', '1']])); // before any snapshot: nothing to apply it to
  assert.equal(h.sync.stats.skipped, 1);
  assert.equal(resubscribes, 1, 'a delta first: the book joined a subscription under way and asks for a snapshot');
  h.sync.onDelta(snapshot(10, BASE_BIDS, BASE_ASKS));
  assert.equal(h.sync.state, 'live');
  assert.equal(h.emitted[0]?.reason, 'initial');
  h.sync.onDelta(delta(11, 11, [['9.9', '1']]));
  h.sync.onDelta(delta(13, 13, [['9.9', '2']])); // 12 missing
  assert.equal(resubscribes, 2);
  assert.equal(h.sync.state, 'resyncing');
  assert.equal(describeTop(h.sync.book as OrderBook), '10.0:5,9.9:1|10.1:4,10.2:6');
  h.sync.onDelta(snapshot(20, [['10.0', '1']], [['10.1', '1']]));
  assert.equal(h.emitted.at(-1)?.reason, 'gap');
  h.sync.onDelta(snapshot(1, [['10.0', '2']], [['10.1', '2']])); // venue restart (Bybit u = 1)
  assert.equal(h.emitted.at(-1)?.reason, 'venue-reset');
  assert.equal(h.emitted.at(-1)?.event, 'snapshot');
  h.sync.onDelta(delta(2, 2, [['10.0', '3']]));
  assert.equal(h.emitted.at(-1)?.top, '10.0:3|10.1:2');
  h.sync.onDisconnect();
  assert.equal(resubscribes, 2, 'a reconnect resubscribes by itself');
});

test('close() aborts a pending fetch, stops emitting and resolves even if the fetcher ignores the signal', async () => {
  const h = harness();
  h.sync.onDelta(delta(91, 91));
  const call = await h.fetcher.nth(0);
  await h.sync.close();
  assert.equal(call.signal.aborted, true);
  assert.equal(h.sync.state, 'closed');
  call.resolve(snapshot(90, BASE_BIDS, BASE_ASKS)); // too late
  h.sync.onDelta(delta(92, 92));
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(h.emitted.length, 0);
  assert.equal(h.fetcher.calls.length, 1);
  await h.sync[Symbol.asyncDispose](); // idempotent
});

test('close() cancels a backoff wait with a real timer', async () => {
  const fetcher = new ManualFetcher();
  const sync = new BookSynchronizer({
    symbol: 'T/USD',
    priceScale: 1,
    qtyScale: 0,
    rules: contiguousRules,
    fetchSnapshot: fetcher.fetch,
    onBook: () => assert.fail('no book expected'),
    backoff: { initialMs: 60_000, maxMs: 60_000 },
  });
  sync.onDelta(delta(1, 1));
  (await fetcher.nth(0)).reject(new VenueError('network', 'down'));
  await new Promise<void>((resolve) => setImmediate(resolve));
  await sync.close(); // would hang the test run for a minute if the timer outlived close()
  assert.equal(fetcher.calls.length, 1);
});

test('requires a snapshot fetcher for REST-snapshot rules', () => {
  assert.throws(
    () => new BookSynchronizer({ symbol: 'T/USD', priceScale: 1, qtyScale: 0, rules: contiguousRules, onBook: () => {} }),
    (err: unknown) => VenueError.is(err, 'invalid-argument'),
  );
});

// ------------------------------------------------------------------ stream-or-rest (OKX: in-band or REST snapshot)

/** OKX-like rules on plain numbers: each delta names the seq before it (`prevSeq`). */
const eitherRules: BookRules = {
  snapshotSource: 'stream-or-rest',
  idBounds: { maxAhead: 1000, maxBehind: 100 },
  alignFirst: (snap, d) => (Number(d.seq) <= Number(snap) ? 'drop' : Number(d.prevSeq) <= Number(snap) ? 'apply' : 'refetch'),
  next: (last, d) => (Number(d.prevSeq) === Number(last) ? 'apply' : 'gap'),
};

function chained(prev: number, seq: number, bids: Lv = [], asks: Lv = []): DepthMessage {
  return { kind: 'delta', symbol: 'T/USD', seq, prevSeq: prev, bids, asks, exchangeTime: seq, receivedAt: seq };
}

/** A delay the test releases by hand; it rejects when its signal aborts, like the real one. */
class ManualDelay {
  readonly waits: Array<{ ms: number; signal: AbortSignal; release: () => void }> = [];
  readonly delay = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      this.waits.push({ ms, signal, release: resolve });
    });
}

test('stream-or-rest: takes an in-band snapshot that comes first and fetches nothing', async () => {
  const h = harness({ rules: eitherRules, resubscribe: () => assert.fail('no resubscribe expected') });
  h.sync.onDelta(snapshot(10, BASE_BIDS, BASE_ASKS));
  assert.equal(h.sync.state, 'live');
  h.sync.onDelta(chained(10, 11, [['9.9', '1']]));
  h.sync.onDelta(chained(11, 11)); // heartbeat-like: same seq, nothing changes
  assert.equal(h.emitted.at(-1)?.top, '10.0:5,9.9:1|10.1:4,10.2:6');
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(h.fetcher.calls.length, 0);
  assert.equal(h.emitted[0]?.reason, 'initial');
});

test('stream-or-rest: a first message that is a delta fetches the REST snapshot and aligns the buffer', async () => {
  const h = harness({ rules: eitherRules });
  h.sync.onDelta(chained(98, 100, [['9.8', '1']])); // covered by the snapshot
  h.sync.onDelta(chained(100, 104, [['10.0', '7']])); // prevSeq <= 102 < seq: the first one kept
  h.sync.onDelta(chained(104, 105, [], [['10.1', '0']]));
  (await h.fetcher.nth(0)).resolve(snapshot(102, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live');
  assert.equal(h.emitted.length, 1);
  assert.equal(h.emitted[0]?.top, '10.0:7,9.9:3|10.2:6');
  assert.equal(h.sync.book?.seq, 105);
  assert.deepEqual(h.delays, [], 'fetched at once: the venue evidently sends no in-band snapshot');
});

test('stream-or-rest: after a gap resubscribes and adopts the in-band snapshot, cancelling the pending REST fetch', async () => {
  let resubscribes = 0;
  const delay = new ManualDelay();
  const h = harness({ rules: eitherRules, resubscribe: () => resubscribes++, delay: delay.delay, streamSnapshotWaitMs: 750 });
  h.sync.onDelta(snapshot(10, BASE_BIDS, BASE_ASKS));
  h.sync.onDelta(chained(10, 11, [['9.9', '1']]));
  const good = h.sync.book;
  h.sync.onDelta(chained(12, 13, [['9.9', '2']])); // 11 → 12 missing
  assert.equal(h.sync.state, 'resyncing');
  assert.equal(resubscribes, 1);
  const wait = await waitFor(() => delay.waits[0], 'the bounded wait for an in-band snapshot');
  assert.equal(wait.ms, 750);
  h.sync.onDelta(chained(13, 14, [['9.9', '3']])); // still in flight from the old subscription: buffered
  assert.equal(h.sync.book, good, 'the last good book stays visible');
  h.sync.onDelta(snapshot(20, [['10.0', '1']], [['10.1', '1']]));
  assert.equal(h.sync.state, 'live');
  assert.equal(wait.signal.aborted, true, 'the REST fallback was called off');
  assert.equal(h.emitted.at(-1)?.reason, 'gap');
  assert.equal(h.emitted.at(-1)?.top, '10.0:1|10.1:1');
  h.sync.onDelta(chained(20, 21, [['9.0', '1']]));
  assert.equal(h.emitted.at(-1)?.top, '10.0:1,9.0:1|10.1:1');
  assert.equal(h.fetcher.calls.length, 0);
});

test('stream-or-rest: after a gap with no in-band snapshot within the wait, fetches REST and aligns', async () => {
  let resubscribes = 0;
  const delay = new ManualDelay();
  const h = harness({ rules: eitherRules, resubscribe: () => resubscribes++, delay: delay.delay });
  h.sync.onDelta(snapshot(10, BASE_BIDS, BASE_ASKS));
  h.sync.onDelta(chained(11, 12, [['9.9', '2']])); // 10 → 11 missing
  assert.equal(resubscribes, 1);
  h.sync.onDelta(chained(12, 13, [['9.9', '4']]));
  h.sync.onDelta(chained(13, 15, [['9.8', '1']]));
  const wait = await waitFor(() => delay.waits[0], 'the bounded wait');
  assert.equal(wait.ms, 1000, 'default wait');
  assert.equal(h.fetcher.calls.length, 0, 'no REST fetch before the wait is over');
  wait.release();
  (await h.fetcher.nth(0)).resolve(snapshot(13, [['10.0', '2'], ['9.9', '4']], BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.equal(h.emitted.at(-1)?.reason, 'gap');
  assert.equal(h.emitted.at(-1)?.top, '10.0:2,9.9:4,9.8:1|10.1:4,10.2:6');
  assert.equal(h.sync.book?.seq, 15);
});

test('stream-or-rest: after a reconnect waits for the first message instead of resubscribing', async () => {
  const h = harness({ rules: eitherRules, resubscribe: () => assert.fail('the transport resubscribes by itself') });
  h.sync.onDelta(snapshot(10, BASE_BIDS, BASE_ASKS));
  h.sync.onDisconnect();
  assert.equal(h.sync.state, 'resyncing');
  h.sync.onDelta(chained(40, 41, [['9.9', '9']])); // the venue sent no snapshot this time
  (await h.fetcher.nth(0)).resolve(snapshot(40, BASE_BIDS, BASE_ASKS));
  await waitFor(() => h.sync.state === 'live', 'live again');
  assert.equal(h.emitted.at(-1)?.reason, 'reconnect');
  assert.equal(h.emitted.at(-1)?.top, '10.0:5,9.9:9|10.1:4,10.2:6');
});

test('requires a snapshot fetcher for stream-or-rest rules', () => {
  assert.throws(
    () => new BookSynchronizer({ symbol: 'T/USD', priceScale: 1, qtyScale: 0, rules: eitherRules, onBook: () => {} }),
    (err: unknown) => VenueError.is(err, 'invalid-argument'),
  );
});
