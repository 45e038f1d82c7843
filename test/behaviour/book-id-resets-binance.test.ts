/**
 * No Binance book freezes silently: a real client (`binance()`) against a hostile test venue that plays the
 * recorded depth streams (spot NKNUSDT, USD-M SUSHIUSDT) and serves REST snapshots of the recorded book at the
 * point it has reached. Into the recording the venue mixes frames a hostile or restarting venue sends — each a
 * recorded event with its ids MUTATED, as each step says — and the book must resync (an event, a counter) and go
 * on accepting the recording, equal to an independent replay of it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { binance } from '../../src/client/binance.js';
import { parseJson, stringifyJson } from '../../src/core/json.js';
import type { UpdateId } from '../../src/core/json.js';
import { HostileVenue } from '../helpers/scripted-venue.js';
import { TruthBook } from '../helpers/truth-book.js';
import { fixtureLines, fixtureText, waitFor } from '../helpers/wait.js';
import { watchedBook } from '../helpers/watched-book.js';

/** The id the hostile venue of the report sent. */
const ABSURD = 99999999999999999999n;
const LIVENESS_MS = 1000;
const DEPTH = 20;

interface RawEvent {
  readonly U: UpdateId;
  readonly u: UpdateId;
  readonly pu?: UpdateId;
  readonly b: string[][];
  readonly a: string[][];
  readonly [field: string]: unknown;
}
interface RawSnapshot {
  readonly lastUpdateId: UpdateId;
  readonly bids: string[][];
  readonly asks: string[][];
}

/**
 * The recorded stream as a venue plays it: `next()` sends the next recorded event (verbatim until the venue
 * restarts its ids, then with every id lowered by `shift`), and `depth()` is the REST snapshot of the recorded
 * book where the stream is now: the recorded snapshot until the stream passes it, then the replay of the events.
 */
class RecordedDepthStream {
  position = -1;
  /** Subtracted from every id once the venue "restarted" its ids. */
  shift = 0n;
  private readonly lines: string[];
  private readonly events: RawEvent[];
  private readonly snapshot: RawSnapshot;
  private readonly truth: TruthBook;

  constructor(
    readonly stream: string,
    ws: string,
    rest: string,
    /** The first event the documented procedure applies on the recorded snapshot (PROVENANCE.md). */
    private readonly firstApplied: number,
  ) {
    this.lines = fixtureLines(ws);
    this.events = this.lines.map((l) => (parseJson(l) as { data: RawEvent }).data);
    this.snapshot = parseJson(fixtureText(rest)) as RawSnapshot;
    this.truth = new TruthBook(this.snapshot.bids, this.snapshot.asks);
  }

  get length(): number {
    return this.events.length;
  }
  event(i: number): RawEvent {
    return this.events[i] as RawEvent;
  }
  /** The id the book must be at now, in the venue's current id space. */
  get lastId(): string {
    return (BigInt(this.event(this.position).u) - this.shift).toString();
  }
  view(): string {
    return this.truth.view(DEPTH);
  }

  next(): string {
    const i = ++this.position;
    const e = this.event(i);
    if (i >= this.firstApplied) this.truth.apply(e.b, e.a);
    if (this.shift === 0n) return this.lines[i] as string;
    const pu = e.pu === undefined ? {} : { pu: BigInt(e.pu) - this.shift };
    return this.frame({ ...e, U: BigInt(e.U) - this.shift, u: BigInt(e.u) - this.shift, ...pu });
  }

  /** MUTATED: a copy of the next recorded event carrying `ids` instead of its own; the venue's book is unchanged. */
  hostile(ids: { U: bigint; u: bigint; pu?: bigint }): string {
    const e = this.event(this.position + 1);
    return this.frame({ ...e, ...ids, ...(e.pu === undefined ? { pu: undefined } : {}) });
  }

  /** The event sent `back` events ago, again: a duplicate. */
  duplicate(back: number): string {
    const e = this.event(this.position - back);
    return this.frame({ ...e, U: BigInt(e.U) - this.shift, u: BigInt(e.u) - this.shift, ...(e.pu === undefined ? {} : { pu: BigInt(e.pu) - this.shift }) });
  }

  depth(): string {
    if (this.position < this.firstApplied) return stringifyJson({ ...this.snapshot, lastUpdateId: BigInt(this.snapshot.lastUpdateId) - this.shift });
    return stringifyJson({ ...this.snapshot, lastUpdateId: BigInt(this.event(this.position).u) - this.shift, bids: this.truth.levels('bids'), asks: this.truth.levels('asks') });
  }

  private frame(data: object): string {
    return stringifyJson({ stream: this.stream, data });
  }
}

/** The venue: exchangeInfo as recorded, depth snapshots of the stream, `SUBSCRIBE` acked as documented. */
async function startVenue(stream: RecordedDepthStream): Promise<HostileVenue> {
  const ack = parseJson(fixtureText('binance/ws/spot-subscribe-response.json')) as Record<string, unknown>;
  return HostileVenue.start({
    rest: (url) => {
      switch (url.pathname) {
        case '/api/v3/exchangeInfo':
          return { body: fixtureText('binance/rest/spot-exchange-info-recorded-2021-10.json') };
        case '/fapi/v1/exchangeInfo':
          return { body: fixtureText('binance/rest/usdm-exchange-info-recorded-2021-07.json') };
        case '/api/v3/depth':
        case '/fapi/v1/depth':
          return { body: stream.depth() };
        default:
          return undefined;
      }
    },
    onText: (socket, text) => {
      const req = JSON.parse(text) as { method: string; params: string[]; id: number };
      for (const p of req.params) {
        if (req.method === 'SUBSCRIBE') socket.topics.add(p);
        else socket.topics.delete(p);
      }
      socket.send(JSON.stringify({ ...ack, id: req.id }));
    },
  });
}

const SEGMENTS = [
  {
    name: 'spot NKNUSDT',
    segment: 'spot' as const,
    symbol: 'NKN/USDT',
    stream: () => new RecordedDepthStream('nknusdt@depth@100ms', 'binance/ws/spot-depth100ms-NKNUSDT-recorded-sequence.jsonl', 'binance/rest/spot-depth-NKNUSDT-limit1000-recorded.json', 1),
  },
  {
    name: 'USD-M SUSHIUSDT',
    segment: 'usdm' as const,
    symbol: 'SUSHI/USDT:USDT',
    stream: () => new RecordedDepthStream('sushiusdt@depth@100ms', 'binance/ws/usdm-depth100ms-SUSHIUSDT-recorded-sequence.jsonl', 'binance/rest/usdm-depth-SUSHIUSDT-limit1000-recorded.json', 3),
  },
];

for (const seg of SEGMENTS) {
  test(`Binance ${seg.name}: an absurd id ahead or behind, ids restarting and a feed that stops being accepted each resync the book, which goes on with the recording`, async () => {
    const stream = seg.stream();
    const usdm = seg.segment === 'usdm';
    await using venue = await startVenue(stream);
    const urls = { rest: venue.restUrl, ws: venue.wsUrl, wsApi: venue.wsUrl };
    await using ex = binance({ urls: { spot: urls, usdm: urls }, segments: [seg.segment], clockSync: false, streams: { backoff: { initialMs: 20, maxMs: 200 } } });
    await ex.loadMarkets();
    const book = watchedBook(ex, seg.symbol, { livenessMs: LIVENESS_MS, depth: DEPTH });
    await waitFor(() => venue.sockets.some((s) => s.topics.has(stream.stream)), 'the depth subscription');
    const playTo = async (end: number): Promise<void> => {
      while (stream.position < end) {
        venue.broadcast(stream.stream, stream.next());
        await sleep(1);
      }
      await book.reaches(stream.lastId, () => stream.view(), `the book at event ${end} of the recording`, DEPTH);
    };
    const part = Math.floor(stream.length / 6);

    await playTo(part);
    assert.deepEqual(book.resyncs, []);

    // The report's frame: `u` absurd on an event that otherwise follows. Its own span is nonsense: a decode problem.
    const next = stream.event(stream.position + 1);
    venue.broadcast(stream.stream, stream.hostile({ U: BigInt(next.U), u: ABSURD, ...(usdm ? { pu: BigInt(stream.lastId) } : {}) }));
    await playTo(2 * part);
    assert.deepEqual(book.resyncs, [], 'refused without a rebuild: the next event chained');
    assert.ok(book.problems.some((p) => p.code === 'decode' && /spans .*99999999999999999999/.test(p.message)), 'reported as a decode problem');

    // Every id absurdly far ahead: not a gap to wait out, a reset.
    venue.broadcast(stream.stream, stream.hostile({ U: ABSURD, u: ABSURD, ...(usdm ? { pu: ABSURD - 1n } : {}) }));
    await playTo(3 * part);
    assert.deepEqual(book.resyncs, ['id-reset']);
    assert.equal(book.stats().idResets, 1);

    // Ids far behind the book: not old data to skip forever, a reset.
    venue.broadcast(stream.stream, stream.hostile({ U: 1n, u: 1n, ...(usdm ? { pu: 0n } : {}) }));
    await playTo(4 * part);
    assert.deepEqual(book.resyncs, ['id-reset', 'id-reset']);

    // The venue restarts its ids (the REST snapshot too): from here on every id is about 10^4.
    stream.shift = BigInt(stream.event(stream.position + 1).U) - 10_000n;
    await playTo(5 * part);
    assert.deepEqual(book.resyncs, ['id-reset', 'id-reset', 'id-reset']);
    assert.ok(BigInt(stream.lastId) < 10_000_000n, 'the book follows the new ids');
    assert.equal(book.stats().idResets, 3);

    // Only duplicates for longer than the liveness window: the book is rebuilt rather than left waiting.
    await waitFor(async () => {
      venue.broadcast(stream.stream, stream.duplicate(1));
      await sleep(40);
      return book.resyncs.includes('stalled');
    }, 'a stalled resync', 5000, 0);
    await playTo(stream.length - 1);
    assert.deepEqual(book.resyncs, ['id-reset', 'id-reset', 'id-reset', 'stalled']);
    assert.equal(book.stats().stalls, 1);
    assert.equal(book.problems.filter((e) => e.code === 'book-integrity').length, 4, 'each id reset and stall is also a book-integrity problem');
  assert.equal(book.crossed, 0);
    await book.stop();
  });
}
