/**
 * No Bybit book freezes silently: a real client (`bybit()`) against a hostile test venue that plays the recorded
 * `orderbook` stream of XRPUSDT linear (a snapshot and 49 deltas) and answers every (re)subscribe, as Bybit does,
 * with a snapshot: the recorded one, followed by the recorded deltas up to where the stream is. Into it the venue
 * mixes what a hostile or restarting venue sends — recorded frames with their `u` MUTATED, as each step says —
 * and the book must resync (an event, a counter) and go on with the recording, equal to a replay of it.
 *
 * Two more mutations, for every frame: the recording is `orderbook.500`, a depth the client no longer subscribes,
 * so its topic is renamed `orderbook.1000` (whose window holds all 500 levels); and the venue's instrument list
 * is the documented linear example with its one row turned into XRPUSDT (tick 0.0001, step 1).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { bybit } from '../../src/client/bybit.js';
import { parseJson, stringifyJson } from '../../src/core/json.js';
import { bybitUrlsAt } from '../../src/exchanges/bybit/config.js';
import { HostileVenue } from '../helpers/scripted-venue.js';
import type { HostileSocket } from '../helpers/scripted-venue.js';
import { TruthBook } from '../helpers/truth-book.js';
import { fixtureLines, fixtureText, waitFor } from '../helpers/wait.js';
import { watchedBook } from '../helpers/watched-book.js';

const ABSURD = 99999999999999999999n;
const LIVENESS_MS = 1000;
const DEPTH = 20;
const TOPIC = 'orderbook.1000.XRPUSDT';

interface Frame {
  readonly topic: string;
  readonly type: string;
  readonly data: { readonly u: number; readonly b: string[][]; readonly a: string[][]; readonly [field: string]: unknown };
  readonly [field: string]: unknown;
}

/** The recorded stream as Bybit plays it; ids lowered by `shift` once the venue "restarted" them. */
class RecordedOrderbook {
  /** Index of the last frame sent (0: the snapshot). */
  position = 0;
  shift = 0n;
  private readonly frames: Frame[];
  private readonly truth: TruthBook;

  constructor() {
    this.frames = fixtureLines('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl').map((l) => ({ ...(parseJson(l) as Frame), topic: TOPIC }));
    const snapshot = this.frames[0] as Frame;
    this.truth = new TruthBook(snapshot.data.b, snapshot.data.a);
  }

  get length(): number {
    return this.frames.length;
  }
  get lastId(): string {
    return (BigInt((this.frames[this.position] as Frame).data.u) - this.shift).toString();
  }
  view(): string {
    return this.truth.view(DEPTH);
  }

  next(): string {
    const f = this.frames[++this.position] as Frame;
    this.truth.apply(f.data.b, f.data.a);
    return this.text(f);
  }

  /** What a (re)subscribe gets: the snapshot, then the deltas up to where the stream is. */
  replay(): string[] {
    return this.frames.slice(0, this.position + 1).map((f) => this.text(f));
  }

  /** MUTATED: a copy of the next recorded delta (or of the snapshot) with `u` replaced; the venue's book is unchanged. */
  hostile(u: bigint, of: 'delta' | 'snapshot' = 'delta'): string {
    const f = this.frames[of === 'delta' ? this.position + 1 : 0] as Frame;
    return stringifyJson({ ...f, data: { ...f.data, u } });
  }

  /** The delta sent `back` frames ago, again. */
  duplicate(back: number): string {
    return this.text(this.frames[this.position - back] as Frame);
  }

  private text(f: Frame): string {
    return stringifyJson({ ...f, data: { ...f.data, u: BigInt(f.data.u) - this.shift } });
  }
}

/** The documented linear instrument list, its one row MUTATED into XRPUSDT. */
function instruments(): string {
  const body = parseJson(fixtureText('bybit/rest/instruments-info-linear.json')) as { result: { list: Array<Record<string, unknown>> } };
  const row = body.result.list[0] as Record<string, Record<string, unknown>>;
  body.result.list = [
    {
      ...row,
      symbol: 'XRPUSDT',
      baseCoin: 'XRP',
      priceScale: '4',
      priceFilter: { ...row['priceFilter'], minPrice: '0.0001', tickSize: '0.0001' },
      lotSizeFilter: { ...row['lotSizeFilter'], minOrderQty: '1', qtyStep: '1' },
    },
  ];
  return stringifyJson(body);
}

async function startVenue(stream: RecordedOrderbook): Promise<HostileVenue> {
  const ack = parseJson(fixtureText('bybit/ws/subscribe-response-public-linear.json')) as Record<string, unknown>;
  const pong = parseJson(fixtureText('bybit/ws/pong-public-linear.json')) as Record<string, unknown>;
  return HostileVenue.start({
    rest: (url) => (url.pathname === '/v5/market/instruments-info' ? { body: instruments() } : undefined),
    onText: (socket: HostileSocket, text: string) => {
      const req = JSON.parse(text) as { op: string; args?: string[]; req_id?: string };
      if (req.op === 'ping') return socket.send(JSON.stringify({ ...pong, req_id: req.req_id ?? '' }));
      // The documented subscribe answer, also for unsubscribe (with its `op`).
      socket.send(JSON.stringify({ ...ack, req_id: req.req_id ?? '', op: req.op }));
      for (const t of req.args ?? []) {
        if (req.op === 'unsubscribe') socket.topics.delete(t);
        else if (req.op === 'subscribe') {
          socket.topics.add(t);
          if (t === TOPIC) for (const f of stream.replay()) socket.send(f);
        }
      }
    },
  });
}

test('Bybit linear XRPUSDT: an absurd u ahead or behind, an absurd snapshot, ids restarting and a feed that stops being accepted each resync the book, which goes on with the recording', async () => {
  const stream = new RecordedOrderbook();
  await using venue = await startVenue(stream);
  await using ex = bybit({ urls: bybitUrlsAt(venue.restUrl, venue.wsUrl), categories: ['linear'], clockSync: false, streams: { backoff: { initialMs: 20, maxMs: 200 } } });
  await ex.loadMarkets();
  const book = watchedBook(ex, 'XRP/USDT:USDT', { livenessMs: LIVENESS_MS, depth: 1000 });
  const playTo = async (end: number): Promise<void> => {
    while (stream.position < end) {
      venue.broadcast(TOPIC, stream.next());
      await sleep(1);
    }
    await book.reaches(stream.lastId, () => stream.view(), `the book at frame ${end} of the recording`, DEPTH);
  };
  await book.reaches(stream.lastId, () => stream.view(), 'the recorded snapshot', DEPTH);
  await playTo(8);
  assert.deepEqual(book.resyncs, []);

  // A delta absurdly far ahead: a reset, rebuilt from a fresh snapshot.
  venue.broadcast(TOPIC, stream.hostile(ABSURD));
  await playTo(16);
  assert.deepEqual(book.resyncs, ['id-reset']);

  // A delta far behind the book: not old data to skip forever (u = 2: u = 1 would be Bybit's documented restart).
  venue.broadcast(TOPIC, stream.hostile(2n));
  await playTo(24);
  assert.deepEqual(book.resyncs, ['id-reset', 'id-reset']);

  // The report's case: a snapshot with an absurd u. It is taken (a snapshot resets the book); the next delta,
  // far behind it, rebuilds the book at once instead of leaving it frozen until a reconnect.
  venue.broadcast(TOPIC, stream.hostile(ABSURD, 'snapshot'));
  await playTo(32);
  assert.deepEqual(book.resyncs, ['id-reset', 'id-reset', 'venue-reset', 'id-reset']);
  assert.equal(book.stats().idResets, 3);

  // The venue restarts its ids without saying so: every u is about 10^4 from here on.
  stream.shift = BigInt(stream.lastId) + 1n - 10_000n;
  await playTo(40);
  assert.equal(stream.lastId, '10007');
  assert.deepEqual(book.resyncs.slice(4), ['id-reset']);
  assert.equal(book.stats().idResets, 4);

  // Only duplicates for longer than the liveness window: the book asks for a fresh snapshot.
  await waitFor(async () => {
    venue.broadcast(TOPIC, stream.duplicate(1));
    await sleep(40);
    return book.resyncs.includes('stalled');
  }, 'a stalled resync', 5000, 0);
  await playTo(stream.length - 1);
  assert.deepEqual(book.resyncs.slice(5), ['stalled']);
  assert.equal(book.stats().stalls, 1);
  assert.equal(book.problems.filter((e) => e.code === 'book-integrity').length, 5, 'each id reset and stall is also a book-integrity problem');
  assert.equal(book.crossed, 0);
  await book.stop();
});
