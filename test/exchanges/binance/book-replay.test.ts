/**
 * Replays the real recorded Binance depth sequences (spot NKNUSDT, USD-M SUSHIUSDT) with their recorded
 * REST snapshots through the Binance book rules and the core synchronizer, against an independent replay.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BookSynchronizer } from '../../../src/core/book/book-sync.js';
import type { OrderBook } from '../../../src/core/book/order-book.js';
import { Decimal } from '../../../src/core/decimal.js';
import { parseJson, updateId } from '../../../src/core/json.js';
import type { DepthMessage } from '../../../src/core/model.js';
import type { BookRules } from '../../../src/core/venue.js';
import { binanceSpotBookRules, binanceUsdmBookRules } from '../../../src/exchanges/binance/book-rules.js';
import { fixtureLines, fixtureText, waitFor } from '../../helpers/wait.js';

type Levels = string[][];
interface RawEvent {
  E: number;
  s: string;
  U: unknown;
  u: unknown;
  pu?: unknown;
  b: Levels;
  a: Levels;
}
interface RawSnapshot {
  lastUpdateId: unknown;
  E?: number;
  bids: Levels;
  asks: Levels;
}

// A tiny local converter from the raw wire fields, so this test does not depend on parse.ts.
function toDelta(raw: RawEvent): DepthMessage {
  return {
    kind: 'delta',
    symbol: raw.s,
    seq: updateId(raw.u, 'u'),
    firstSeq: updateId(raw.U, 'U'),
    ...(raw.pu === undefined ? {} : { prevSeq: updateId(raw.pu, 'pu') }),
    bids: raw.b,
    asks: raw.a,
    exchangeTime: raw.E,
    receivedAt: raw.E,
  };
}
function toSnapshot(raw: RawSnapshot, symbol: string): DepthMessage {
  return { kind: 'snapshot', symbol, seq: updateId(raw.lastUpdateId, 'lastUpdateId'), bids: raw.bids, asks: raw.asks, exchangeTime: raw.E ?? 0, receivedAt: 0 };
}

/** The independent replay: a Map per side, normalized decimal strings, no sequence logic at all. */
class MapBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  constructor(snapshot: RawSnapshot) {
    this.apply(snapshot.bids, snapshot.asks);
  }
  apply(bids: Levels, asks: Levels): void {
    for (const [side, levels] of [
      [this.bids, bids],
      [this.asks, asks],
    ] as const) {
      for (const [p, q] of levels) {
        const key = norm(p as string);
        if (Decimal.from(q as string).isZero()) side.delete(key);
        else side.set(key, norm(q as string));
      }
    }
  }
  sorted(side: 'bids' | 'asks'): string[][] {
    const rows = [...this[side].entries()].map(([p, q]) => [p, q]);
    rows.sort((x, y) => Decimal.from(x[0] as string).cmp(y[0] as string) * (side === 'bids' ? -1 : 1));
    return rows;
  }
  /** As a REST snapshot taken at `lastUpdateId`. */
  toRaw(lastUpdateId: unknown): RawSnapshot {
    return { lastUpdateId, bids: this.sorted('bids'), asks: this.sorted('asks') };
  }
}

const norm = (s: string): string => Decimal.from(s).normalize().toString();
const levelsOf = (book: OrderBook, side: 'bids' | 'asks'): string[][] =>
  book[side]().map((l) => [l.price.normalize().toString(), l.amount.normalize().toString()]);

interface Recording {
  name: string;
  rules: BookRules;
  snapshot: RawSnapshot;
  events: RawEvent[];
  /** Index (0-based) of the first event the documented procedure applies, from PROVENANCE.md. */
  firstApplied: number;
  priceScale: number;
  qtyScale: number;
}

function load(name: string, rules: BookRules, rest: string, ws: string, firstApplied: number, priceScale: number, qtyScale: number): Recording {
  const snapshot = parseJson(fixtureText(rest)) as RawSnapshot;
  const events = fixtureLines(ws).map((line) => (parseJson(line) as { data: RawEvent }).data);
  return { name, rules, snapshot, events, firstApplied, priceScale, qtyScale };
}

const recordings = [
  load('spot NKNUSDT', binanceSpotBookRules, 'binance/rest/spot-depth-NKNUSDT-limit1000-recorded.json', 'binance/ws/spot-depth100ms-NKNUSDT-recorded-sequence.jsonl', 1, 4, 0),
  load('USD-M SUSHIUSDT', binanceUsdmBookRules, 'binance/rest/usdm-depth-SUSHIUSDT-limit1000-recorded.json', 'binance/ws/usdm-depth100ms-SUSHIUSDT-recorded-sequence.jsonl', 3, 3, 0),
];

/** The Map replay of the documented procedure: snapshot, then every event from `firstApplied` on. */
function referenceAfter(rec: Recording, lastIndex: number): MapBook {
  const ref = new MapBook(rec.snapshot);
  for (let i = rec.firstApplied; i <= lastIndex; i++) ref.apply((rec.events[i] as RawEvent).b, (rec.events[i] as RawEvent).a);
  return ref;
}

interface Emit {
  book: OrderBook;
  event: string;
  reason: string | undefined;
}

function synchronizer(rec: Recording, fetchSnapshot: (signal: AbortSignal) => Promise<DepthMessage>): { sync: BookSynchronizer; emits: Emit[] } {
  const emits: Emit[] = [];
  const sync = new BookSynchronizer({
    symbol: (rec.events[0] as RawEvent).s,
    priceScale: rec.priceScale,
    qtyScale: rec.qtyScale,
    rules: rec.rules,
    fetchSnapshot,
    onBook: (book) => {
      assert.equal(book.isCrossed(), false, 'never emits a crossed book');
      emits.push({ book, event: book.event, reason: book.resyncReason });
    },
    delay: async () => {},
  });
  return { sync, emits };
}

for (const rec of recordings) {
  test(`${rec.name}: drops the covered events, applies the rest and ends equal to an independent replay`, async () => {
    const symbol = (rec.events[0] as RawEvent).s;
    const { sync, emits } = synchronizer(rec, async () => toSnapshot(rec.snapshot, symbol));
    // As recorded: the snapshot arrived after line 1 was buffered.
    sync.onDelta(toDelta(rec.events[0] as RawEvent));
    await waitFor(() => sync.state === 'live', 'the first book');
    for (const raw of rec.events.slice(1)) sync.onDelta(toDelta(raw));

    const book = sync.book as OrderBook;
    const ref = referenceAfter(rec, rec.events.length - 1);
    assert.deepEqual(levelsOf(book, 'bids'), ref.sorted('bids'));
    assert.deepEqual(levelsOf(book, 'asks'), ref.sorted('asks'));
    assert.equal(book.seq, updateId((rec.events.at(-1) as RawEvent).u, 'u'));
    assert.equal(sync.stats.skipped, rec.firstApplied, 'exactly the documented events were dropped');
    assert.equal(sync.stats.applied, rec.events.length - rec.firstApplied);
    assert.deepEqual([sync.stats.gaps, sync.stats.resyncs, sync.stats.snapshotsFetched], [0, 0, 1]);
    assert.deepEqual(
      emits.map((e) => `${e.event}:${e.reason ?? ''}`),
      ['snapshot:initial', ...Array<string>(rec.events.length - rec.firstApplied).fill('update:')],
      'one snapshot emit, then one update emit per applied event',
    );
    assert.ok(emits.every((e) => e.book === book), 'updates are applied in place');
    await sync.close();
  });

  test(`${rec.name}: aligns the same way when every event was buffered before the snapshot`, async () => {
    const symbol = (rec.events[0] as RawEvent).s;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { sync } = synchronizer(rec, async () => {
      await gate;
      return toSnapshot(rec.snapshot, symbol);
    });
    for (const raw of rec.events) sync.onDelta(toDelta(raw));
    assert.equal(sync.state, 'syncing', 'no book before the snapshot');
    release();
    await waitFor(() => sync.state === 'live', 'the first book');
    const ref = referenceAfter(rec, rec.events.length - 1);
    assert.deepEqual(levelsOf(sync.book as OrderBook, 'bids'), ref.sorted('bids'));
    assert.deepEqual(levelsOf(sync.book as OrderBook, 'asks'), ref.sorted('asks'));
    assert.equal(sync.stats.skipped, rec.firstApplied);
    await sync.close();
  });

  test(`${rec.name}: detects a removed event as a gap and resyncs from a fresh snapshot`, async () => {
    const symbol = (rec.events[0] as RawEvent).s;
    const removed = 60;
    const freshAt = 70; // the second snapshot is taken after event 70 (built from the independent replay)
    const fetches: Array<(m: DepthMessage) => void> = [];
    const { sync, emits } = synchronizer(rec, () => new Promise((resolve) => fetches.push(resolve)));

    sync.onDelta(toDelta(rec.events[0] as RawEvent));
    (await waitFor(() => fetches[0], 'first snapshot request'))(toSnapshot(rec.snapshot, symbol));
    await waitFor(() => sync.state === 'live', 'the first book');
    for (let i = 1; i < removed; i++) sync.onDelta(toDelta(rec.events[i] as RawEvent));
    const good = sync.book as OrderBook;
    const goodBids = levelsOf(good, 'bids');

    sync.onDelta(toDelta(rec.events[removed + 1] as RawEvent)); // event `removed` never arrives
    assert.equal(sync.state, 'resyncing');
    assert.equal(sync.stats.gaps, 1);
    for (let i = removed + 2; i <= freshAt + 5; i++) sync.onDelta(toDelta(rec.events[i] as RawEvent));
    assert.equal(sync.book, good, 'the last good book stays visible');
    assert.deepEqual(levelsOf(good, 'bids'), goodBids, 'and unchanged');
    assert.deepEqual(levelsOf(good, 'bids'), referenceAfter(rec, removed - 1).sorted('bids'));

    const fresh = referenceAfter(rec, freshAt).toRaw((rec.events[freshAt] as RawEvent).u);
    (await waitFor(() => fetches[1], 'second snapshot request'))(toSnapshot(fresh, symbol));
    await waitFor(() => sync.state === 'live', 'the rebuilt book');
    assert.equal(sync.book?.event, 'snapshot');
    assert.equal(sync.book?.resyncReason, 'gap');
    assert.notEqual(sync.book, good);
    for (let i = freshAt + 6; i < rec.events.length; i++) sync.onDelta(toDelta(rec.events[i] as RawEvent));

    const ref = referenceAfter(rec, rec.events.length - 1);
    assert.deepEqual(levelsOf(sync.book as OrderBook, 'bids'), ref.sorted('bids'));
    assert.deepEqual(levelsOf(sync.book as OrderBook, 'asks'), ref.sorted('asks'));
    assert.equal(sync.stats.resyncs, 1);
    const swap = emits.findIndex((e) => e.book !== good);
    assert.deepEqual(emits[swap], { book: emits.at(-1)?.book, event: 'snapshot', reason: 'gap' });
    // initial snapshot + live updates before the gap + the swap + live updates after it; none while resyncing
    const expected = 1 + (removed - rec.firstApplied) + 1 + (rec.events.length - (freshAt + 6));
    assert.equal(emits.length, expected);
    await sync.close();
  });
}
