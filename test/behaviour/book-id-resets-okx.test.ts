/**
 * No OKX book freezes silently: a real client (`okx()`) against a hostile test venue that plays the recorded
 * `books` stream of BTC-USDT (a snapshot and 97 updates, each carrying the real CRC32 checksum the client
 * verifies) and answers every (re)subscribe as OKX does, with the snapshot followed by the updates up to where
 * the stream is. The recording predates `seqId`, so every frame is MUTATED to carry `seqId`/`prevSeqId` as OKX
 * sends them today; hostile frames are recorded updates with their ids MUTATED further, as each step says.
 * The book must resync (an event, a counter) and go on with the recording, equal to a replay of it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { okx } from '../../src/client/okx.js';
import { parseJson, stringifyJson } from '../../src/core/json.js';
import { HostileVenue } from '../helpers/scripted-venue.js';
import type { HostileSocket } from '../helpers/scripted-venue.js';
import { TruthBook } from '../helpers/truth-book.js';
import { fixtureLines, fixtureText, waitFor } from '../helpers/wait.js';
import { watchedBook } from '../helpers/watched-book.js';

const ABSURD = 99999999999999999999n;
const LIVENESS_MS = 1000;
const DEPTH = 25;
const TOPIC = 'books:BTC-USDT';
/** A BTC-USDT seqId OKX sent (books5 recording, 2026): where the derived ids start. */
const FIRST_SEQ = 79706756139n;

interface Push {
  readonly arg: { readonly channel: string; readonly instId: string };
  readonly action: string;
  readonly data: Array<{ readonly asks: string[][]; readonly bids: string[][]; readonly [field: string]: unknown }>;
}

/** The recorded stream with derived ids (10 apart) as OKX plays it; `shift` lowers them once the venue restarts them. */
class RecordedBooks {
  position = 0;
  shift = 0n;
  private readonly pushes: Push[];
  private readonly truth: TruthBook;

  constructor() {
    this.pushes = fixtureLines('okx/ws/books-BTC-USDT-recorded-sequence-with-checksum.jsonl').map((l) => parseJson(l) as Push);
    const first = this.pushes[0]?.data[0];
    assert.ok(first !== undefined && this.pushes[0]?.action === 'snapshot');
    this.truth = new TruthBook(first.bids, first.asks);
  }

  get length(): number {
    return this.pushes.length;
  }
  /** The recorded seqId of push `i` in the venue's current id space. */
  seqOf(i: number): bigint {
    return FIRST_SEQ + 10n * BigInt(i) - this.shift;
  }
  get lastId(): string {
    return this.seqOf(this.position).toString();
  }
  view(): string {
    return this.truth.view(DEPTH);
  }
  /** The venue's book now, every level as OKX wrote it. */
  levels(side: 'bids' | 'asks'): readonly (readonly string[])[] {
    return this.truth.levels(side);
  }

  next(): string {
    const p = this.pushes[++this.position] as Push;
    this.truth.apply(p.data[0]?.bids ?? [], p.data[0]?.asks ?? []);
    return this.text(this.position);
  }

  /** What a (re)subscribe gets: the snapshot, then the updates up to where the stream is. */
  replay(): string[] {
    return this.pushes.slice(0, this.position + 1).map((_, i) => this.text(i));
  }

  /** The next recorded update with `ids` instead of its own; `advance` when it is the venue's real next update. */
  withIds(ids: { prevSeqId: bigint; seqId: bigint }, advance = false): string {
    const i = this.position + 1;
    const p = this.pushes[i] as Push;
    if (advance) {
      this.position = i;
      this.truth.apply(p.data[0]?.bids ?? [], p.data[0]?.asks ?? []);
    }
    return stringifyJson({ ...p, data: [{ ...p.data[0], ...ids }] });
  }

  /** The update sent last, again. */
  duplicate(): string {
    return this.text(this.position);
  }

  private text(i: number): string {
    const p = this.pushes[i] as Push;
    return stringifyJson({ ...p, data: [{ ...p.data[0], prevSeqId: i === 0 ? -1 : this.seqOf(i - 1), seqId: this.seqOf(i) }] });
  }
}

interface VenueSwitches {
  /** OKX announced it will stop pushing the initial snapshot: then a (re)subscribe gets nothing. */
  inBandSnapshot: boolean;
  /** Added to the `seqId` of the REST snapshot (a hostile venue's: ahead of its stream). */
  restSeqAhead: bigint;
}

async function startVenue(stream: RecordedBooks, sw: VenueSwitches): Promise<HostileVenue> {
  const subscribed = parseJson(fixtureText('okx/ws/books-subscribe-response.json')) as Record<string, unknown>;
  const unsubscribed = parseJson(fixtureText('okx/ws/unsubscribe-response.json')) as Record<string, unknown>;
  // The documented REST book, its one row MUTATED into the venue's book now, with the seqId OKX sends today.
  const restBook = (): string => {
    const body = parseJson(fixtureText('okx/rest/market-books.json')) as { data: Array<Record<string, unknown>> };
    body.data = [{ ...body.data[0], asks: stream.levels('asks'), bids: stream.levels('bids'), seqId: BigInt(stream.lastId) + sw.restSeqAhead }];
    return stringifyJson(body);
  };
  return HostileVenue.start({
    rest: (url) => {
      if (url.pathname === '/api/v5/public/instruments') return { body: fixtureText('okx/rest/instruments-spot-recorded-2022-05.json') };
      if (url.pathname === '/api/v5/market/books') return { body: restBook() };
      return undefined;
    },
    onText: (socket: HostileSocket, text: string) => {
      if (text === 'ping') return socket.send('pong');
      const req = JSON.parse(text) as { id?: string; op: string; args: Array<{ channel: string; instId: string }> };
      for (const arg of req.args) {
        const topic = `${arg.channel}:${arg.instId}`;
        socket.send(JSON.stringify({ ...(req.op === 'subscribe' ? subscribed : unsubscribed), id: req.id, arg }));
        if (req.op === 'unsubscribe') socket.topics.delete(topic);
        else {
          socket.topics.add(topic);
          if (topic === TOPIC && sw.inBandSnapshot) for (const f of stream.replay()) socket.send(f);
        }
      }
    },
  });
}

test('OKX BTC-USDT: an absurd seqId ahead or behind, ids restarting unchained and a feed that stops being accepted each resync the book; the documented chained reset does not', async () => {
  const stream = new RecordedBooks();
  const sw: VenueSwitches = { inBandSnapshot: true, restSeqAhead: 0n };
  await using venue = await startVenue(stream, sw);
  const ws = venue.wsUrl;
  await using ex = okx({ urls: { rest: venue.restUrl, public: ws, private: ws, business: ws }, instTypes: ['SPOT'], clockSync: false, streams: { backoff: { initialMs: 20, maxMs: 200 } } });
  await ex.loadMarkets();
  const book = watchedBook(ex, 'BTC/USDT', { livenessMs: LIVENESS_MS });
  const reach = (what: string): Promise<void> => book.reaches(stream.lastId, () => stream.view(), what, DEPTH);
  const playTo = async (end: number): Promise<void> => {
    while (stream.position < end) {
      venue.broadcast(TOPIC, stream.next());
      await sleep(1);
    }
    await reach(`the book at push ${end} of the recording`);
  };
  await reach('the recorded snapshot');
  await playTo(12);
  assert.deepEqual(book.resyncs, []);

  // Chained on the book but absurdly far ahead: a reset, rebuilt from the in-band snapshot of a resubscribe.
  venue.broadcast(TOPIC, stream.withIds({ prevSeqId: BigInt(stream.lastId), seqId: ABSURD }));
  await playTo(24);
  assert.deepEqual(book.resyncs, ['id-reset']);

  // Far behind the book and not chained on it.
  venue.broadcast(TOPIC, stream.withIds({ prevSeqId: 0n, seqId: 1n }));
  await playTo(36);
  assert.deepEqual(book.resyncs, ['id-reset', 'id-reset']);

  // The venue restarts its ids without chaining them: every seqId about 10^4 from here on.
  stream.shift = stream.seqOf(stream.position + 1) - 10_000n;
  await playTo(48);
  assert.deepEqual(book.resyncs, ['id-reset', 'id-reset', 'id-reset']);
  assert.equal(book.stats().idResets, 3);

  // The documented reset after maintenance: chained (`prevSeqId` = the book's), `seqId` lower. Taken as it is.
  const chainedOn = BigInt(stream.lastId);
  stream.shift += 5_000n;
  venue.broadcast(TOPIC, stream.withIds({ prevSeqId: chainedOn, seqId: stream.seqOf(stream.position + 1) }, true));
  await reach('the update after the documented reset');
  await playTo(60);
  assert.equal(book.resyncs.length, 3, 'no rebuild');
  assert.ok(BigInt(stream.lastId) < chainedOn);

  // No in-band snapshot any more (as OKX announced) and a REST snapshot 5·10^6 ahead of the stream: after a gap
  // the book is rebuilt on it and refuses everything after, until the liveness window ends that.
  sw.inBandSnapshot = false;
  sw.restSeqAhead = 5_000_000n;
  venue.broadcast(TOPIC, stream.withIds({ prevSeqId: BigInt(stream.lastId) + 1n, seqId: BigInt(stream.lastId) + 2n }));
  const keepSending = async (until: () => boolean, what: string): Promise<void> => {
    await waitFor(async () => {
      venue.broadcast(TOPIC, stream.duplicate());
      await sleep(40);
      return until();
    }, what, 8000, 0);
  };
  await keepSending(() => book.resyncs.length === 4, 'the rebuild on the REST snapshot');
  assert.equal(book.resyncs[3], 'gap');
  assert.equal(String(book.latest?.seq), String(BigInt(stream.lastId) + 5_000_000n), 'built on the snapshot ahead of the stream');
  sw.inBandSnapshot = true;
  sw.restSeqAhead = 0n;
  await keepSending(() => book.resyncs.length === 5, 'a stalled resync');
  assert.equal(book.resyncs[4], 'stalled');
  await playTo(stream.length - 1);
  assert.equal(book.resyncs.length, 5);
  assert.equal(book.stats().stalls, 1);
  assert.equal(book.problems.filter((e) => e.code === 'book-integrity').length, 4, 'each id reset and stall is also a book-integrity problem');
  assert.equal(book.crossed, 0);
  assert.ok(!book.problems.some((p) => /checksum/.test(p.message)));
  await book.stop();
});
