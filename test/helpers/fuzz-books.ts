/**
 * The order-book streams the fuzz test drives (Binance spot and USD-M, Bybit linear, OKX spot) and the venue's
 * truth they are checked against: the recorded snapshot advanced by the recorded deltas, kept by plain replay
 * without sequence logic or client code. REST and in-band snapshots are cut from it; every book a client shows
 * must equal one of its states. Mutants are copies of the last valid delta (any change: it is old, so it must be
 * skipped or rejected) or of the next one and of a snapshot with only their sequence ids changed (their levels are
 * right, so applying them is fine, but the book must not freeze on the ids).
 */
import type { Exchange } from '../../src/client/exchange.js';
import type { OrderBook } from '../../src/core/book/order-book.js';
import type { FixtureVenue, FixtureVenueId } from './fixture-venue.js';
import type { Json, Path } from './frame-mutator.js';
import { binanceSpot, binanceUsdm, bybitClient, clone, json, lines, obj, okxClient, type Obj, type SentFrame, type StreamPlan, type StreamRound } from './fuzz-streams.js';

// ---------------------------------------------------------------- decimals and the truth book (no client code)

/** A non-negative decimal string without redundant zeros: `0.35130000` → `0.3513`, `6195.000` → `6195`. */
export function norm(s: string): string {
  let [int = '', frac = ''] = s.split('.');
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

function cmpDecimal(a: string, b: string): number {
  const [ai = '', af = ''] = a.split('.');
  const [bi = '', bf = ''] = b.split('.');
  if (ai.length !== bi.length) return ai.length - bi.length;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const x = af.padEnd(n, '0');
  const y = bf.padEnd(n, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}

/** One side's top levels as `price:amount` text, best first. */
function sideText(levels: ReadonlyArray<readonly [string, string]>): string {
  return levels.map(([p, q]) => `${p}:${q}`).join(',');
}

/** What the valid frames imply: a book kept by plain replay (no sequence logic), and every state it went through. */
export class TruthBook {
  seq: Json = 0;
  /** Hashes of every state the valid frames implied so far. */
  readonly seen = new Set<string>();
  current = '';
  private readonly sides = { bids: new Map<string, Json[]>(), asks: new Map<string, Json[]>() };
  constructor(readonly compareDepth: number) {}

  reset(bids: Json, asks: Json, seq: Json): void {
    this.sides.bids.clear();
    this.sides.asks.clear();
    this.apply(bids, asks, seq);
  }

  apply(bids: Json, asks: Json, seq: Json): void {
    for (const [side, levels] of [
      [this.sides.bids, bids],
      [this.sides.asks, asks],
    ] as const) {
      for (const level of levels as Json[][]) {
        const price = norm(String(level[0]));
        if (norm(String(level[1])).replace(/[0.]/g, '') === '') side.delete(price);
        else side.set(price, level);
      }
    }
    this.seq = seq;
    this.current = this.hash();
    this.seen.add(this.current);
  }

  /** Raw levels as the venue wrote them, best first. */
  levels(side: 'bids' | 'asks', depth = Infinity): Json[][] {
    const sign = side === 'bids' ? -1 : 1;
    return [...this.sides[side].entries()]
      .sort((x, y) => sign * cmpDecimal(x[0], y[0]))
      .slice(0, depth)
      .map((e) => e[1]);
  }

  private hash(): string {
    const top = (side: 'bids' | 'asks'): Array<[string, string]> => this.levels(side, this.compareDepth).map((l) => [norm(String(l[0])), norm(String(l[1]))]);
    return `${sideText(top('bids'))}|${sideText(top('asks'))}`;
  }
}

/** The same hash of a client's book. */
export function bookHash(book: OrderBook, depth: number): string {
  const top = (levels: ReturnType<OrderBook['bids']>): Array<[string, string]> => levels.map((l) => [norm(l.price.toString()), norm(l.amount.toString())]);
  return `${sideText(top(book.bids(depth)))}|${sideText(top(book.asks(depth)))}`;
}

const seqAbove = (a: Json, b: Json): boolean => BigInt(String(a)) > BigInt(String(b));

// ---------------------------------------------------------------- books: recorded deltas over the venue's truth

interface BookSpec {
  readonly name: string;
  readonly venue: FixtureVenueId;
  readonly symbol: string;
  readonly topic: string;
  readonly routing: readonly string[];
  readonly connect: (v: FixtureVenue) => Exchange;
  readonly depth?: number;
  readonly compareDepth: number;
  /** The recorded initial book: levels and sequence id. */
  readonly initial: { readonly bids: Json; readonly asks: Json; readonly seq: Json };
  /** Recorded deltas, whole frames, in order. */
  readonly deltas: readonly Obj[];
  /** A delta's levels and sequence id. */
  readonly read: (frame: Obj) => { bids: Json; asks: Json; seq: Json };
  /** Sequence-id paths of a delta (and of a snapshot, for venues that send theirs in-band). */
  readonly seqPaths: readonly Path[];
  readonly snapshotSeqPaths?: readonly Path[];
  /** In-band venues: the snapshot frame of the truth (the recorded one while nothing moved). */
  readonly snapshotFrame?: (truth: TruthBook, moved: boolean) => Obj;
  /** REST snapshot routes cut from the truth. */
  readonly rest?: (venue: FixtureVenue, truth: TruthBook, last: () => Obj | undefined) => void;
}

function bookPlan(spec: BookSpec): StreamPlan {
  return {
    name: spec.name,
    venue: spec.venue,
    kind: 'book',
    symbol: spec.symbol,
    topic: spec.topic,
    routing: spec.routing,
    connect: spec.connect,
    compareDepth: spec.compareDepth,
    watch: (ex, opts) => ex.watchOrderBook(spec.symbol, spec.depth === undefined ? opts : { ...opts, depth: spec.depth }),
    startRound(venue) {
      const truth = new TruthBook(spec.compareDepth);
      truth.reset(spec.initial.bids, spec.initial.asks, spec.initial.seq);
      let i = 0;
      spec.rest?.(venue, truth, () => round.last?.frame as Obj | undefined);
      const snapshotFrame = spec.snapshotFrame;
      if (snapshotFrame !== undefined) venue.onSubscribe(spec.venue, spec.topic, (_key, send) => send(JSON.stringify(snapshotFrame(truth, i > 0))));
      const round: StreamRound & { last: SentFrame | undefined } = {
        last: undefined,
        get remaining() {
          return spec.deltas.length - i;
        },
        truth,
        nextValid() {
          const frame = spec.deltas[i];
          if (frame === undefined) return undefined;
          i++;
          const d = spec.read(frame);
          // A delta at or below the book's id changes nothing (the recorded snapshot already holds it).
          if (seqAbove(d.seq, truth.seq)) truth.apply(d.bids, d.asks, d.seq);
          round.last = { text: JSON.stringify(frame), frame, mark: undefined };
          return round.last;
        },
        mutantBase(rng) {
          const r = rng.float();
          const last = round.last;
          if (last !== undefined && r < 0.55) return { frame: clone(last.frame), origin: 'a copy of the last valid delta' };
          if (snapshotFrame !== undefined && r >= 0.85) return { frame: snapshotFrame(truth, true), paths: spec.snapshotSeqPaths ?? [], semantic: rng.chance(0.5), origin: 'a snapshot of the current book, sequence id only' };
          const follow = round.nextValid();
          if (follow === undefined) return { frame: clone(last?.frame ?? {}), origin: 'a copy of the last valid delta' };
          return { frame: clone(follow.frame), paths: spec.seqPaths, semantic: rng.chance(0.5), origin: 'a copy of the next delta, sequence ids only', follow };
        },
        end() {
          venue.onSubscribe(spec.venue, spec.topic, undefined);
        },
      };
      return round;
    },
  };
}

function binanceBook(seg: 'spot' | 'usdm'): StreamPlan {
  const spot = seg === 'spot';
  const id = spot ? 'NKNUSDT' : 'SUSHIUSDT';
  const stream = `${id.toLowerCase()}@depth@100ms`;
  // spot-depth-NKNUSDT-limit1000-recorded.json / usdm-depth-SUSHIUSDT-limit1000-recorded.json pair with these sequences.
  const snapshot = obj(json(`binance/rest/${seg}-depth-${id}-limit1000-recorded.json`));
  const deltas = lines(`binance/ws/${seg}-depth100ms-${id}-recorded-sequence.jsonl`);
  return bookPlan({
    name: `binance ${seg} book`,
    venue: 'binance',
    symbol: spot ? 'NKN/USDT' : 'SUSHI/USDT:USDT',
    topic: stream,
    routing: ['stream', 'data'],
    connect: spot ? binanceSpot : binanceUsdm,
    // A 1000-level snapshot (weight 50 on spot, not 250): the recorded ones are 1000 deep. Compared: the top 500.
    depth: 1000,
    compareDepth: 500,
    initial: { bids: snapshot['bids'] as Json, asks: snapshot['asks'] as Json, seq: snapshot['lastUpdateId'] as Json },
    deltas,
    read: (f) => ({ bids: obj(f['data'])['b'] as Json, asks: obj(f['data'])['a'] as Json, seq: obj(f['data'])['u'] as Json }),
    seqPaths: spot ? [['data', 'U'], ['data', 'u']] : [['data', 'U'], ['data', 'u'], ['data', 'pu']],
    rest: (venue, truth) =>
      venue.route('binance', spot ? '/api/v3/depth' : '/fapi/v1/depth', (q) => {
        if (q.get('symbol') !== id) return undefined;
        const limit = Number(q.get('limit') ?? 100);
        return { body: { ...snapshot, lastUpdateId: truth.seq, bids: truth.levels('bids', limit), asks: truth.levels('asks', limit) } };
      }),
  });
}

function bybitBook(): StreamPlan {
  // orderbook-500-XRPUSDT-linear: 1 snapshot + 49 deltas (u consecutive); served on the topic the client picks (1000).
  const topic = 'orderbook.1000.XRPUSDT';
  const frames = lines('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl').map((f): Obj => ({ ...f, topic }));
  const [first, ...deltas] = frames as [Obj, ...Obj[]];
  const data = obj(first['data']);
  return bookPlan({
    name: 'bybit linear book',
    venue: 'bybit',
    symbol: 'XRP/USDT:USDT',
    topic,
    routing: ['topic', 'data'],
    connect: bybitClient,
    compareDepth: 400,
    initial: { bids: data['b'] as Json, asks: data['a'] as Json, seq: data['u'] as Json },
    deltas,
    read: (f) => ({ bids: obj(f['data'])['b'] as Json, asks: obj(f['data'])['a'] as Json, seq: obj(f['data'])['u'] as Json }),
    seqPaths: [['data', 'u']],
    snapshotSeqPaths: [['data', 'u']],
    // A resubscribe gets the book as it stands, as a snapshot at the current u (what Bybit sends after subscribing).
    snapshotFrame: (truth, moved) => (moved ? { ...first, data: { ...data, b: truth.levels('bids'), a: truth.levels('asks'), u: truth.seq } } : first),
  });
}

function okxBook(): StreamPlan {
  // books-BTC-USDT (2022): 1 snapshot + 97 updates. Served as OKX sends them today (protocols.md §4.5), as
  // book-replay.test.ts derives them: seqId from 1000, each update's prevSeqId the seqId before it, and checksum 0
  // (production since 2026-06-23; the recorded checksums would catch what today's feed leaves to sequencing).
  const frames = lines('okx/ws/books-BTC-USDT-recorded-sequence-with-checksum.jsonl').map((f, i): Obj => ({
    ...f,
    data: [{ ...obj((f['data'] as Json[])[0]), checksum: 0, seqId: 1000 + i, prevSeqId: i === 0 ? -1 : 999 + i }],
  }));
  const [first, ...deltas] = frames as [Obj, ...Obj[]];
  const row = (f: Obj): Obj => obj((f['data'] as Json[])[0]);
  const levels = (truth: TruthBook): Obj => ({ asks: truth.levels('asks', 400), bids: truth.levels('bids', 400) });
  return bookPlan({
    name: 'okx spot book',
    venue: 'okx',
    symbol: 'BTC/USDT',
    topic: 'books:BTC-USDT',
    routing: ['arg', 'data'],
    connect: okxClient,
    compareDepth: 200,
    initial: { bids: row(first)['bids'] as Json, asks: row(first)['asks'] as Json, seq: row(first)['seqId'] as Json },
    deltas,
    read: (f) => ({ bids: row(f)['bids'] as Json, asks: row(f)['asks'] as Json, seq: row(f)['seqId'] as Json }),
    seqPaths: [['data', 0, 'seqId'], ['data', 0, 'prevSeqId']],
    snapshotSeqPaths: [['data', 0, 'seqId']],
    // After a resubscribe: the book as it stands.
    snapshotFrame: (truth, moved) => (moved ? { ...first, data: [{ ...row(first), ...levels(truth), checksum: 0, seqId: truth.seq, prevSeqId: -1 }] } : first),
    // market-books.json plus the seqId the REST snapshot carries today.
    rest: (venue, truth, last) =>
      venue.route('okx', '/api/v5/market/books', (q) =>
        q.get('instId') !== 'BTC-USDT' ? undefined : { body: { code: '0', msg: '', data: [{ ...levels(truth), ts: row(last() ?? first)['ts'] as Json, seqId: truth.seq }] } },
      ),
  });
}

/** The four book streams. */
export function bookPlans(): StreamPlan[] {
  return [binanceBook('spot'), binanceBook('usdm'), bybitBook(), okxBook()];
}
