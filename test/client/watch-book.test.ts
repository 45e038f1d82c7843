/**
 * `watchOrderBook` delivery over shared books: every state once, resync markers never lost to conflation and
 * never leaking between watchers of one book, the view trimmed to the depth asked, one subscription and one
 * snapshot per book (whatever depths its watchers asked, when the venue serves them from one topic and snapshot),
 * each watcher's own connect limits, the shortest liveness window, the last watcher closing it (MKTD-02/05).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarketDataAdapter } from '../../src/core/adapter.js';
import type { OrderBookView } from '../../src/core/book/book-view.js';
import type { ExchangeEvents } from '../../src/client/events.js';
import { SharedBooks } from '../../src/client/shared-books.js';
import type { Watch } from '../../src/client/watch-topic.js';
import { Decimal } from '../../src/core/decimal.js';
import { VenueError } from '../../src/core/errors.js';
import type { DepthMessage, Market } from '../../src/core/model.js';
import { TypedEvents } from '../../src/core/streams/typed-events.js';
import type { BookRules } from '../../src/core/venue.js';
import type { ConnectLimits } from '../../src/core/ws/connect-wait.js';
import type { StreamHub, TopicHandler, TopicListener } from '../../src/core/ws/stream-hub.js';
import { bybitBookRules } from '../../src/exchanges/bybit/book-rules.js';
import { waitFor } from '../helpers/wait.js';

const msg = (kind: DepthMessage['kind'], seq: number, bids: string[][], asks: string[][], firstSeq?: number): DepthMessage => ({
  kind,
  symbol: 'BTC/USDT',
  seq,
  ...(firstSeq === undefined ? {} : { firstSeq }),
  bids,
  asks,
  exchangeTime: seq,
  receivedAt: seq,
});

/** Binance-spot-like REST rules on plain numbers (`firstSeq`..`seq`, contiguous). */
const restRules: BookRules = {
  snapshotSource: 'rest',
  idBounds: { maxAhead: 1_000_000, maxBehind: 10_000 },
  alignFirst: (snap, d) => (Number(d.seq) <= Number(snap) ? 'drop' : Number(d.firstSeq) <= Number(snap) + 1 ? 'apply' : 'refetch'),
  next: (last, d) => (Number(d.seq) <= Number(last) ? 'skip' : Number(d.firstSeq) === Number(last) + 1 ? 'apply' : 'gap'),
};

/**
 * A hub that records subscribers and lets the test push frames to them. Like the real one, every subscriber of a
 * topic gets every frame of it (one venue subscription per topic), and a subscriber that gives up is dropped.
 */
class FakeHub {
  readonly subs: Array<{ key: string; handler: TopicHandler; listener: TopicListener | undefined; limits: ConnectLimits | undefined; live: boolean }> = [];
  resubscribes = 0;
  subscribe(topic: { key: string }, handler: TopicHandler, listener?: TopicListener, limits?: ConnectLimits) {
    const s = { key: topic.key, handler, listener, limits, live: true };
    this.subs.push(s);
    return { unsubscribe: () => void (s.live = false), resubscribe: () => void this.resubscribes++ };
  }
  /** Live subscribers. */
  get live(): number {
    return this.subs.filter((s) => s.live).length;
  }
  /** Topics with a live subscriber: venue subscriptions. */
  get topics(): number {
    return new Set(this.subs.filter((s) => s.live).map((s) => s.key)).size;
  }
  push(m: DepthMessage): void {
    for (const s of this.subs) if (s.live) s.handler(m, 0);
  }
  /** The connection of subscriber `i` did not open within its limits. */
  giveUp(i: number): void {
    const s = this.subs[i];
    if (s === undefined || !s.live) throw new Error(`no live subscriber ${i}`);
    s.live = false;
    s.listener?.onGaveUp?.(new VenueError('network', 'no connection'));
  }
}

const market = { symbol: 'BTC/USDT', id: 'BTCUSDT', venue: 'binance', segment: 'spot', tickSize: Decimal.from('0.01'), stepSize: Decimal.from('0.001') } as unknown as Market;

/**
 * A venue adapter reduced to the book calls, with a REST snapshot the test answers by hand. Snapshot depths:
 * twice the depth asked (one book per depth), or `snapshotDepth`'s.
 */
function setup(rules: BookRules, window?: number, snapshotDepth?: (depth: number | undefined) => number) {
  const hub = new FakeHub();
  const events = new TypedEvents<ExchangeEvents>();
  const snapshots: Array<{ levels: number; resolve: (m: DepthMessage) => void }> = [];
  const adapter = {
    bookTopic: (_m: Market, o: { depth?: number }) => ({ key: window === undefined ? 'btcusdt@depth' : `orderbook.${window}.BTCUSDT`, connection: 'spot', depth: o.depth }),
    bookSnapshotDepth: (_m: Market, o: { depth?: number }) => snapshotDepth?.(o.depth) ?? (o.depth === undefined ? 1000 : o.depth * 2),
    maxBookDepth: () => 500,
    bookWindowDepth: () => window,
    bookRules: () => rules,
    depthRequest: (_m: Market, levels: number) => ({ levels }),
    parseDepth: (body: unknown) => body as DepthMessage,
    parseBookFrame: (payload: unknown) => payload as DepthMessage,
  } as unknown as MarketDataAdapter;
  const books = new SharedBooks({
    hub: hub as unknown as StreamHub,
    events,
    adapter,
    request: (req) =>
      new Promise((resolve) => {
        snapshots.push({ levels: (req as unknown as { levels: number }).levels, resolve: (m) => resolve({ status: 200, headers: {}, body: m, receivedAt: 0 } as never) });
      }),
  });
  return { hub, events, books, snapshots };
}

/** Consumes a watch in the background, noting each delivery as `event:seq:bids/asks shown`. */
function consume(watch: Watch<OrderBookView>) {
  const seen: string[] = [];
  let latest: OrderBookView | undefined;
  const done = (async () => {
    for await (const b of watch) {
      latest = b;
      seen.push(`${b.event === 'snapshot' ? b.resyncReason : 'update'}:${b.seq}:${b.bidCount}/${b.askCount}`);
    }
  })().catch((err: unknown) => seen.push(`error:${(err as VenueError).code}`));
  return { seen, done, latest: () => latest };
}

const tick = () => new Promise((r) => setImmediate(r));

test('a snapshot and a delta arriving in one tick reach the consumer once, marked as the initial snapshot', async () => {
  const { hub, books } = setup(bybitBookRules, 50);
  const c = new AbortController();
  const w = consume(books.watch(market, { signal: c.signal }));
  await tick();
  hub.push(msg('snapshot', 10, [['100.00', '1.000']], [['101.00', '1.000']]));
  hub.push(msg('delta', 11, [['100.50', '2.000']], []));
  await tick();
  hub.push(msg('delta', 12, [], [['101.00', '0'], ['102.00', '1.000']]));
  await tick();
  c.abort();
  await w.done;
  assert.deepEqual(w.seen, ['initial:11:2/1', 'update:12:2/1', 'error:closed']);
});

test('twenty watchers of one book share one subscription and one snapshot; each has its own markers', async () => {
  const { hub, books, snapshots, events } = setup(restRules);
  const resyncs: string[] = [];
  events.on('resync', (e) => resyncs.push(e.reason));
  const c = new AbortController();
  const watchers = Array.from({ length: 20 }, () => consume(books.watch(market, { signal: c.signal })));
  assert.equal(hub.topics, 1, 'one venue subscription for the twenty');
  assert.equal(books.size, 1);
  hub.push(msg('delta', 5, [['100.00', '1.000']], [], 5));
  const first = await waitFor(() => snapshots[0], 'the snapshot request');
  first.resolve(msg('snapshot', 5, [['100.00', '1.000']], [['101.00', '1.000']]));
  await waitFor(() => watchers.every((w) => w.seen.length === 1), 'every watcher synced');
  assert.equal(snapshots.length, 1, 'one snapshot for twenty watchers');
  // A late joiner sees the live book as its own initial snapshot; the others see only updates.
  const late = consume(books.watch(market, { signal: c.signal }));
  hub.push(msg('delta', 6, [['99.00', '2.000']], [], 6));
  await waitFor(() => late.seen.length >= 1 && watchers.every((w) => w.seen.length === 2), 'the update everywhere');
  assert.deepEqual(late.seen, ['initial:6:2/1']);
  for (const w of watchers) assert.deepEqual(w.seen, ['initial:5:1/1', 'update:6:2/1']);
  // A gap: one new snapshot for all, each watcher marked once, the resync event once.
  hub.push(msg('delta', 9, [['98.00', '1.000']], [], 8));
  const second = await waitFor(() => snapshots[1], 'the resync snapshot');
  second.resolve(msg('snapshot', 9, [['98.00', '1.000']], [['101.00', '1.000']]));
  await waitFor(() => late.seen.length === 2 && watchers.every((w) => w.seen.length === 3), 'the resync everywhere');
  for (const w of [...watchers, late]) assert.equal(w.seen.at(-1), 'gap:9:1/1');
  assert.deepEqual(resyncs, ['gap']);
  assert.equal(snapshots.length, 2);
  c.abort();
  await Promise.all([...watchers, late].map((w) => w.done));
});

test('a marker is never lost to a slow watcher nor shown to one that already saw the rebuilt book', async () => {
  const { hub, books } = setup(bybitBookRules, 50);
  const c = new AbortController();
  const fast = consume(books.watch(market, { signal: c.signal }));
  const slowWatch = books.watch(market, { signal: c.signal });
  hub.push(msg('snapshot', 1, [['100.00', '1.000']], [['101.00', '1.000']]));
  await waitFor(() => fast.seen.length === 1, 'the fast watcher synced');
  hub.push(msg('snapshot', 7, [['100.00', '3.000']], [['101.00', '1.000']])); // a venue reset
  await waitFor(() => fast.seen.length === 2, 'the fast watcher sees the reset');
  hub.push(msg('delta', 8, [['99.00', '1.000']], []));
  await waitFor(() => fast.seen.length === 3, 'the fast watcher sees the update');
  assert.deepEqual(fast.seen, ['initial:1:1/1', 'venue-reset:7:1/1', 'update:8:2/1']);
  // The slow watcher reads only now: one book, marked with the latest rebuild, not twice.
  const r = await slowWatch.next();
  assert.ok(!r.done);
  assert.equal(r.value.event, 'snapshot');
  assert.equal(r.value.resyncReason, 'venue-reset');
  assert.equal(String(r.value.seq), '8');
  hub.push(msg('delta', 9, [['98.00', '1.000']], []));
  const r2 = await slowWatch.next();
  assert.ok(!r2.done);
  assert.equal(r2.value.event, 'update', 'the slow watcher already saw the rebuilt book');
  await slowWatch.return?.();
  c.abort();
  await fast.done;
});

test('a watcher sees at most the depth it asked for; depths of different snapshots are different books', async () => {
  const { hub, books } = setup(bybitBookRules, 50);
  const c = new AbortController();
  const two = consume(books.watch(market, { signal: c.signal, depth: 2 }));
  const all = consume(books.watch(market, { signal: c.signal }));
  assert.equal(books.size, 2);
  assert.equal(hub.topics, 1);
  hub.push(msg('snapshot', 1, [['100.00', '1.000'], ['99.00', '1.000'], ['98.00', '1.000']], [['101.00', '1.000'], ['102.00', '1.000'], ['103.00', '1.000']]));
  await waitFor(() => two.seen.length === 1 && all.seen.length === 1, 'both synced');
  assert.deepEqual(two.seen, ['initial:1:2/2']);
  assert.deepEqual(all.seen, ['initial:1:3/3']);
  const view = two.latest() as OrderBookView;
  assert.deepEqual(view.bids().map((l) => l.price.toString()), ['100.00', '99.00']);
  assert.deepEqual(view.asks(10).map((l) => l.price.toString()), ['101.00', '102.00']);
  assert.deepEqual(view.topStrings('asks', 5), [['101.00', '1.000'], ['102.00', '1.000']]);
  const snap = view.snapshot();
  assert.equal(snap.bids.length, 2);
  assert.equal(snap.asks.length, 2);
  assert.equal(String(snap.seq), '1');
  c.abort();
  await Promise.all([two.done, all.done]);
});

test('the last watcher leaving unsubscribes and closes the book; a new watcher opens a fresh one', async () => {
  const { hub, books } = setup(bybitBookRules, 50);
  const a = books.watch(market, {});
  const b = books.watch(market, {});
  assert.equal(hub.topics, 1);
  await a.return?.();
  await a.finished;
  assert.equal(hub.topics, 1, 'still one watcher');
  await b.return?.();
  await b.finished;
  assert.equal(hub.live, 0);
  assert.equal(books.size, 0);
  const c = books.watch(market, {});
  assert.equal(hub.live, 1);
  await c.return?.();
});

test('an already aborted signal rejects with closed and subscribes nothing', async () => {
  const { hub, books } = setup(bybitBookRules, 50);
  const c = new AbortController();
  c.abort();
  const w = books.watch(market, { signal: c.signal });
  await assert.rejects(w.next(), (e) => VenueError.is(e, 'closed'));
  await w.finished;
  assert.equal(hub.subs.length, 0);
  assert.equal(books.size, 0);
});

test('a refused subscription ends every watcher of the book with the venue error', async () => {
  const { hub, books } = setup(bybitBookRules, 50);
  const ws = [books.watch(market, {}), books.watch(market, {})];
  hub.subs[0]?.listener?.onSubscribeFailed?.(new VenueError('invalid-argument', 'refused'));
  for (const w of ws) {
    await assert.rejects(w.next(), (e) => VenueError.is(e, 'invalid-argument'));
    await w.finished;
  }
  assert.equal(hub.live, 0);
  assert.equal(books.size, 0);
});

/** Binance-USD-M-like snapshot depths: every depth up to 50 fetches 100 levels, up to 250 fetches 500. */
const roundedSnapshots = (depth: number | undefined): number => (depth === undefined || depth > 250 ? 1000 : depth > 50 ? 500 : 100);
const ladder = (from: number, step: number, n: number): string[][] => Array.from({ length: n }, (_, i) => [(from + i * step).toFixed(2), '1.000']);

test('watchers whose depths share a topic and a snapshot share one book and one snapshot, exact as deep as the deepest such depth', async () => {
  const { hub, books, snapshots } = setup(restRules, undefined, roundedSnapshots);
  const c = new AbortController();
  const ten = consume(books.watch(market, { signal: c.signal, depth: 10 }));
  const twenty = consume(books.watch(market, { signal: c.signal, depth: 20 }));
  assert.equal(books.size, 1, 'depths 10 and 20 are one book');
  assert.equal(hub.topics, 1);
  hub.push(msg('delta', 5, [], [], 5));
  const first = await waitFor(() => snapshots[0], 'the snapshot request');
  assert.equal(first.levels, 100);
  first.resolve(msg('snapshot', 5, ladder(999, -1, 100), ladder(1001, 1, 100)));
  await waitFor(() => ten.seen.length === 1 && twenty.seen.length === 1, 'both synced');
  assert.deepEqual([ten.seen, twenty.seen], [['initial:5:10/10'], ['initial:5:20/20']]);
  // A watcher of depth 50 (the deepest on a 100-level snapshot) joins the same book and sees 50 exact levels.
  const fifty = consume(books.watch(market, { signal: c.signal, depth: 50 }));
  assert.equal(books.size, 1);
  await waitFor(() => fifty.seen.length === 1, 'the depth-50 watcher');
  assert.deepEqual(fifty.seen, ['initial:5:50/50']);
  // The book keeps 50 levels exact: it refreshes once fewer than 75 asks are covered (halfway between 50 and
  // 100), where a book kept for depth 10 alone would wait until fewer than 55 are.
  for (let i = 0; i < 26; i++) hub.push(msg('delta', 6 + i, [], [[(1001 + i).toFixed(2), '0']], 6 + i));
  assert.equal(books.size, 1);
  hub.push(msg('delta', 32, [], [], 32)); // the refresh fetches with the next delta
  const refresh = await waitFor(() => snapshots[1], 'the refresh snapshot at 74 covered asks');
  assert.equal(refresh.levels, 100);
  await waitFor(() => fifty.seen.at(-1) === 'update:32:50/50' && ten.seen.at(-1) === 'update:32:10/10', 'the last update, 50 and 10 levels deep');
  assert.equal(snapshots.length, 2, 'one refresh for the three watchers');
  c.abort();
  await Promise.all([ten.done, twenty.done, fifty.done]);
});

test('each watcher keeps its own connect limits: one whose limits run out ends alone, the book lives on for the others', async () => {
  const { hub, books } = setup(bybitBookRules, 50);
  const c = new AbortController();
  const quick = consume(books.watch(market, { signal: c.signal, maxAttempts: 2 }));
  const patient = consume(books.watch(market, { signal: c.signal, connectTimeoutMs: 5000 }));
  assert.equal(books.size, 1, 'different limits, one book');
  assert.deepEqual(hub.subs.map((s) => s.limits), [{ maxAttempts: 2 }, { connectTimeoutMs: 5000 }], 'each subscribed with its own limits');
  hub.push(msg('snapshot', 1, [['100.00', '1.000']], [['101.00', '1.000']]));
  await waitFor(() => quick.seen.length === 1 && patient.seen.length === 1, 'both synced');
  hub.giveUp(0); // the subscription feeding the book
  await quick.done;
  assert.deepEqual(quick.seen, ['initial:1:1/1', 'error:network']);
  hub.push(msg('delta', 2, [['99.00', '1.000']], []));
  await waitFor(() => patient.seen.length === 2, 'the update after the first watcher gave up');
  assert.deepEqual(patient.seen, ['initial:1:1/1', 'update:2:2/1']);
  assert.equal(books.size, 1);
  c.abort();
  await patient.done;
  assert.equal(books.size, 0);
});

test('a book whose venue sends its snapshot in-band asks for one at once when its first frame is a delta (it joined a topic already subscribed)', async () => {
  const { hub, books } = setup(bybitBookRules, 50);
  const c = new AbortController();
  const w = consume(books.watch(market, { signal: c.signal }));
  hub.push(msg('delta', 7, [['100.00', '1.000']], []));
  assert.equal(hub.resubscribes, 1, 'a fresh snapshot asked for at once, not after the liveness window');
  hub.push(msg('delta', 8, [['100.00', '2.000']], []));
  assert.equal(hub.resubscribes, 1, 'asked once');
  hub.push(msg('snapshot', 9, [['100.00', '1.000']], [['101.00', '1.000']]));
  await waitFor(() => w.seen.length === 1, 'the book');
  assert.deepEqual(w.seen, ['initial:9:1/1']);
  c.abort();
  await w.done;
});

test('the shortest liveness window among a book\'s watchers applies to the book, while they watch', async () => {
  const { hub, books, events } = setup(bybitBookRules, 50);
  const stalls: string[] = [];
  events.on('problem', (e) => {
    if (e.context.endsWith('stalled')) stalls.push(e.error.code);
  });
  const c = new AbortController();
  const slow = consume(books.watch(market, { signal: c.signal, livenessMs: 60_000 }));
  const strict = books.watch(market, { signal: c.signal, livenessMs: 30 });
  assert.equal(books.size, 1);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // Deltas without the venue's snapshot are refused; past 30 ms of that the book is rebuilt.
  hub.push(msg('delta', 1, [], []));
  await sleep(60);
  hub.push(msg('delta', 2, [], []));
  assert.deepEqual(stalls, ['book-integrity'], 'rebuilt after the strict watcher\'s window');
  await strict.return?.();
  hub.push(msg('delta', 3, [], []));
  await sleep(60);
  hub.push(msg('delta', 4, [], []));
  assert.deepEqual(stalls, ['book-integrity'], 'the strict watcher gone, the 60 s window applies again');
  c.abort();
  await slow.done;
});
