/**
 * The deterministic benchmark feed: for one symbol, a deep book and a pre-generated stream of diff-depth
 * updates (10–20 levels each, clustered near the top), pre-framed as raw WebSocket frames and written to the
 * subscribed sockets as a flood or at a fixed rate, with the monotonic write time of every message.
 * Served through the normal Binance paths: REST snapshots stay consistent with what was written.
 */
import type { Duplex } from 'node:stream';
import { VenueError } from '../../core/errors.js';
import { BookSide, type BookSnapshot } from './book-engine.js';
import type { BinanceFrontEnd } from './binance/binance-front-end.js';
import { levelsJson, type BinanceSegment, type WireSymbol } from './binance/wire-format.js';
import type { Market } from './market.js';
import { Rng } from './rng.js';

export interface BenchPrepareOptions {
  /** Unified symbol (`BTC/USDT`, `BTC/USDT:USDT`). */
  readonly symbol: string;
  /** Number of depth updates to generate. */
  readonly updates: number;
  /** Install a fresh book of this many levels a side first (default: keep the live book). Call before clients subscribe. */
  readonly levels?: number;
  /** Seed of the update stream (default: the simulator's seed). */
  readonly seed?: number;
}

export interface BenchStartOptions extends Partial<BenchPrepareOptions> {
  /** Messages per second; 0 = flood (large chunks as fast as the sockets take them). */
  readonly ratePerSec?: number;
}

export type BenchState = 'idle' | 'prepared' | 'running' | 'done' | 'failed';

/** What a client needs to measure: per message its last update id and its server write time. */
export interface BenchResult {
  readonly state: BenchState;
  readonly symbol?: string;
  readonly id?: string;
  readonly segment?: BinanceSegment;
  readonly updates: number;
  readonly ratePerSec?: number;
  /** Id of the book before the first update (REST snapshot id at start for contiguous ids). */
  readonly initialUpdateId?: number;
  /** `u` of each message, in order. */
  readonly lastUpdateIds: number[];
  /** `process.hrtime.bigint()` at the write of each message, as decimal strings (ns); only messages written. */
  readonly writeTimesNs: string[];
  readonly written: number;
  readonly bytesPerTarget?: number;
  readonly targets?: number;
  readonly error?: string;
}

const CHUNK_BYTES = 256 * 1024;
const E_PLACEHOLDER = '0000000000000';

/** The generated stream, in flat typed arrays (millions of levels without millions of small arrays). */
interface Stream {
  readonly symbol: string;
  readonly w: WireSymbol;
  readonly fe: BinanceFrontEnd;
  readonly initial: BookSnapshot;
  readonly n: number;
  readonly firstId: Float64Array;
  readonly lastId: Float64Array;
  readonly prevId: Float64Array;
  /** Level range of update i: `[levelStart[i], levelStart[i + 1])`. */
  readonly levelStart: Uint32Array;
  readonly isBid: Uint8Array;
  readonly price: Float64Array;
  readonly qty: Float64Array;
}

/** Pre-framed bytes of one variant (raw, or combined under one stream name). */
interface Framed {
  readonly buf: Buffer;
  readonly frameStart: Uint32Array;
  readonly eOffset: Int32Array;
  readonly tOffset: Int32Array;
}

/** Drives one benchmark run at a time. */
export class BenchFeed {
  private stream: Stream | undefined;
  private state: BenchState = 'idle';
  private written = 0;
  private applied = 0;
  private writeTimes: BigInt64Array = new BigInt64Array(0);
  private ratePerSec = 0;
  private targets = 0;
  private bytesPerTarget = 0;
  private error: string | undefined;
  private abort: AbortController | undefined;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly market: Market,
    private readonly frontEnd: (segment: BinanceSegment) => BinanceFrontEnd,
    /** The venues' clock (wall time plus any skew fault), written into `E`/`T`. */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Generates the update stream (and optionally installs a fresh deep book); freezes the symbol's evolution
   * until `release()` (a previously benched other symbol is released).
   */
  prepare(o: BenchPrepareOptions): { symbol: string; id: string; segment: BinanceSegment; updates: number; initialUpdateId: number } {
    if (this.state === 'running') throw new VenueError('invalid-argument', 'a bench run is in progress');
    if (!Number.isInteger(o.updates) || o.updates < 1 || o.updates > 5_000_000) throw new VenueError('invalid-argument', `updates must be an integer in [1, 5000000], got ${o.updates}`);
    const inst = this.market.instrument(o.symbol);
    const segment: BinanceSegment = inst.kind === 'spot' ? 'spot' : 'usdm';
    const fe = this.frontEnd(segment);
    const w = [...fe.symbols.values()].find((x) => x.instrument.symbol === o.symbol);
    if (w === undefined) throw new VenueError('not-found', `${o.symbol} is not served by binance ${segment}`);
    if (this.stream !== undefined && this.stream.symbol !== o.symbol) this.market.freeze(this.stream.symbol, false);
    this.market.setTruthHook(o.symbol, undefined);
    this.market.freeze(o.symbol);
    fe.streams.flushSymbol(w.lower);
    const rng = new Rng(`bench:${o.seed ?? this.market.seed}:${o.symbol}`);
    if (o.levels !== undefined) this.market.replaceBook(o.symbol, deepBook(this.market, o.symbol, o.levels, rng));
    const initial = this.market.book(o.symbol).snapshot();
    this.stream = generate(this.market, o.symbol, w, fe, initial, o.updates, rng);
    this.state = 'prepared';
    this.written = 0;
    this.applied = 0;
    this.writeTimes = new BigInt64Array(o.updates);
    this.error = undefined;
    return { symbol: o.symbol, id: w.id, segment, updates: o.updates, initialUpdateId: initial.updateId };
  }

  /**
   * Starts writing to every connection subscribed to a diff-depth stream of the symbol. Prepares first when
   * nothing (or another symbol) is prepared. Resolves when writing has started; `finished()` when done.
   */
  start(o: BenchStartOptions): { symbol: string; updates: number; targets: number; ratePerSec: number } {
    if (this.state === 'running') throw new VenueError('invalid-argument', 'a bench run is in progress');
    if (this.stream === undefined || this.state !== 'prepared' || (o.symbol !== undefined && o.symbol !== this.stream.symbol) || (o.updates !== undefined && o.updates !== this.stream.n)) {
      if (o.symbol === undefined || o.updates === undefined) throw new VenueError('invalid-argument', 'bench start needs symbol and updates when nothing is prepared');
      this.prepare({ symbol: o.symbol, updates: o.updates, ...(o.seed !== undefined ? { seed: o.seed } : {}) });
    }
    const s = this.stream as Stream;
    const ratePerSec = o.ratePerSec ?? 0;
    if (!Number.isFinite(ratePerSec) || ratePerSec < 0) throw new VenueError('invalid-argument', `ratePerSec must be >= 0, got ${ratePerSec}`);
    const targets = s.fe.rawDepthTargets(s.w.id);
    if (targets.length === 0) throw new VenueError('invalid-argument', `no connection is subscribed to a diff-depth stream of ${s.w.lower}`);
    s.fe.streams.flushSymbol(s.w.lower);
    const variants = new Map<string, Framed>();
    const plan = targets.map((t) => {
      const key = t.combined ? t.stream : '';
      let f = variants.get(key);
      if (f === undefined) {
        f = frame(s, t.combined ? t.stream : undefined);
        variants.set(key, f);
      }
      return { socket: t.socket, framed: f };
    });
    this.state = 'running';
    this.ratePerSec = ratePerSec;
    this.targets = plan.length;
    this.bytesPerTarget = plan[0]?.framed.buf.length ?? 0;
    this.market.setTruthHook(s.symbol, () => this.catchUpTruth());
    this.abort = new AbortController();
    const signal = this.abort.signal;
    // The symbol stays frozen when the run ends: the last frames are still in socket buffers when the writer
    // finishes, and evolution resumed now would queue live diffs right behind them, so a client that reads
    // the tail in one go would show a book past the run's last `u` (`release()` resumes evolution).
    this.done = this.run(s, plan, ratePerSec, signal).then(
      () => {
        this.catchUpTruth();
        this.market.setTruthHook(s.symbol, undefined);
        this.market.replaceBook(s.symbol, this.market.book(s.symbol).snapshot());
        this.state = signal.aborted ? 'failed' : 'done';
        if (signal.aborted) this.error = 'stopped';
      },
      (err: unknown) => {
        this.state = 'failed';
        this.error = err instanceof Error ? err.message : String(err);
        this.catchUpTruth();
        this.market.setTruthHook(s.symbol, undefined);
      },
    );
    return { symbol: s.symbol, updates: s.n, targets: plan.length, ratePerSec };
  }

  /** Resolves when the current run has finished (or at once when none runs). */
  finished(): Promise<void> {
    return this.done;
  }

  /** Stops a running write loop (the truth keeps what was written; the symbol stays frozen). */
  stop(): void {
    this.abort?.abort();
  }

  /**
   * Resumes the normal evolution of the bench symbol, frozen from `prepare()` until this call (a run ending
   * does not resume it). Returns the symbol released, if any.
   */
  release(): { symbol: string | undefined } {
    if (this.state === 'running') throw new VenueError('invalid-argument', 'a bench run is in progress');
    const s = this.stream;
    if (s === undefined) return { symbol: undefined };
    this.market.freeze(s.symbol, false);
    return { symbol: s.symbol };
  }

  result(): BenchResult {
    const s = this.stream;
    const times: string[] = new Array(this.written);
    for (let i = 0; i < this.written; i++) times[i] = (this.writeTimes[i] as bigint).toString();
    return {
      state: this.state,
      ...(s === undefined ? {} : { symbol: s.symbol, id: s.w.id, segment: s.w.segment, initialUpdateId: s.initial.updateId }),
      updates: s?.n ?? 0,
      ratePerSec: this.ratePerSec,
      lastUpdateIds: s === undefined ? [] : Array.from(s.lastId),
      writeTimesNs: times,
      written: this.written,
      bytesPerTarget: this.bytesPerTarget,
      targets: this.targets,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  /** Index of the message whose `u` is `updateId` (the last one at or below it; -1 when before the first). */
  indexOfUpdateId(updateId: number): number {
    const s = this.stream;
    if (s === undefined) throw new VenueError('not-found', 'no bench stream prepared');
    let lo = 0;
    let hi = s.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((s.lastId[mid] as number) <= updateId) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The truth book after update `index` (−1 = before the first), replayed from the initial book. */
  bookAt(index: number): BookSnapshot {
    const s = this.stream;
    if (s === undefined) throw new VenueError('not-found', 'no bench stream prepared');
    const bids = new BookSide('bids');
    const asks = new BookSide('asks');
    for (const [p, q] of s.initial.bids) bids.set(p, q);
    for (const [p, q] of s.initial.asks) asks.set(p, q);
    const last = Math.min(index, s.n - 1);
    for (let i = 0; i <= last; i++) {
      for (let k = s.levelStart[i] as number; k < (s.levelStart[i + 1] as number); k++) (s.isBid[k] ? bids : asks).set(s.price[k] as number, s.qty[k] as number);
    }
    return { updateId: last < 0 ? s.initial.updateId : (s.lastId[last] as number), bids: bids.top(), asks: asks.top() };
  }

  /** Applies the written-but-not-yet-applied updates to the market's truth book. */
  private catchUpTruth(): void {
    const s = this.stream;
    if (s === undefined) return;
    while (this.applied < this.written) {
      const i = this.applied++;
      const bids: Array<[number, number]> = [];
      const asks: Array<[number, number]> = [];
      for (let k = s.levelStart[i] as number; k < (s.levelStart[i + 1] as number); k++) (s.isBid[k] ? bids : asks).push([s.price[k] as number, s.qty[k] as number]);
      this.market.applySilently(s.symbol, s.lastId[i] as number, bids, asks);
    }
  }

  private async run(s: Stream, plan: Array<{ socket: Duplex; framed: Framed }>, ratePerSec: number, signal: AbortSignal): Promise<void> {
    const t0 = process.hrtime.bigint();
    while (this.written < s.n && !signal.aborted) {
      let end: number;
      if (ratePerSec > 0) {
        const due = Math.min(s.n, Math.floor((Number(process.hrtime.bigint() - t0) / 1e9) * ratePerSec) + 1);
        if (due <= this.written) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        end = due;
      } else end = s.n;
      // Cap the chunk by bytes (same frame boundaries in every variant, sizes differ only by the wrapper).
      const f0 = (plan[0] as { framed: Framed }).framed;
      const startByte = f0.frameStart[this.written] as number;
      let j = this.written + 1;
      while (j < end && (f0.frameStart[j] as number) - startByte < CHUNK_BYTES) j++;
      const from = this.written;
      const ms = String(this.now());
      const patched = new Set<Framed>();
      let wait: Promise<void>[] = [];
      const now = process.hrtime.bigint();
      for (const p of plan) {
        const f = p.framed;
        if (!patched.has(f)) {
          patched.add(f);
          for (let i = from; i < j; i++) {
            f.buf.write(ms, f.eOffset[i] as number, 'latin1');
            const t = f.tOffset[i] as number;
            if (t >= 0) f.buf.write(ms, t, 'latin1');
          }
        }
        if (p.socket.destroyed) throw new VenueError('network', 'a bench client disconnected');
        const ok = p.socket.write(f.buf.subarray(f.frameStart[from] as number, f.frameStart[j] as number));
        // A client that goes away mid-run must not leave the writer waiting for a drain that never comes.
        if (!ok) wait.push(drainOrClose(p.socket));
      }
      for (let i = from; i < j; i++) this.writeTimes[i] = now;
      this.written = j;
      if (wait.length > 0) {
        const ac = new AbortController();
        await Promise.race([Promise.all(wait), new Promise((r) => signal.addEventListener('abort', r, { once: true, signal: ac.signal }))]);
        ac.abort();
        wait = [];
      } else if (ratePerSec === 0) {
        // Let the event loop breathe between flood chunks (timers, control requests).
        await new Promise((r) => setImmediate(r));
      }
    }
  }

}

/** Resolves on the socket's next `drain` or `close`, removing both listeners (one wait per flood chunk). */
function drainOrClose(socket: Duplex): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** A fresh book of `levels` a side around the current mid, dense near the top. */
function deepBook(market: Market, symbol: string, levels: number, rng: Rng): BookSnapshot {
  if (!Number.isInteger(levels) || levels < 1 || levels > 5000) throw new VenueError('invalid-argument', `levels must be an integer in [1, 5000], got ${levels}`);
  const inst = market.instrument(symbol);
  const live = market.book(symbol);
  const tick = inst.tickUnits;
  const bestBid = live.bids.best() ?? inst.initialPriceUnits - tick;
  const bestAsk = live.asks.best() ?? inst.initialPriceUnits + tick;
  const bids: Array<[number, number]> = [];
  const asks: Array<[number, number]> = [];
  let b = bestBid;
  let a = bestAsk;
  for (let i = 0; i < levels; i++) {
    if (b > 0) bids.push([b, size(inst.typicalQtyUnits, inst.stepUnits, rng)]);
    asks.push([a, size(inst.typicalQtyUnits, inst.stepUnits, rng)]);
    const gap = (1 + (i < 50 ? 0 : rng.int(0, 2))) * tick;
    b -= gap;
    a += gap;
  }
  return { updateId: live.updateId, bids, asks };
}

function size(typical: number, step: number, rng: Rng): number {
  return Math.max(1, Math.round((typical / step) * Math.exp(0.8 * rng.normal()))) * step;
}

/** Generates `n` updates of 10–20 levels (≈60 % modify, 20 % delete, 20 % insert), ranks clustered at the top. */
function generate(market: Market, symbol: string, w: WireSymbol, fe: BinanceFrontEnd, initial: BookSnapshot, n: number, rng: Rng): Stream {
  const inst = w.instrument;
  const tick = inst.tickUnits;
  const sides = { bids: new BookSide('bids'), asks: new BookSide('asks') };
  for (const [p, q] of initial.bids) sides.bids.set(p, q);
  for (const [p, q] of initial.asks) sides.asks.set(p, q);
  const target = { bids: sides.bids.length, asks: sides.asks.length };
  const sparse = market.sequenceMode(symbol) === 'sparse';
  const firstId = new Float64Array(n);
  const lastId = new Float64Array(n);
  const prevId = new Float64Array(n);
  const levelStart = new Uint32Array(n + 1);
  let cap = n * 20;
  let isBid = new Uint8Array(cap);
  let price = new Float64Array(cap);
  let qty = new Float64Array(cap);
  let k = 0;
  let prev = initial.updateId;
  let next = market.nextUpdateId(symbol);
  for (let i = 0; i < n; i++) {
    levelStart[i] = k;
    const want = rng.int(10, 20);
    const touched = { bids: new Map<number, number>(), asks: new Map<number, number>() };
    for (let c = 0; c < want; c++) {
      const name = rng.chance(0.5) ? 'bids' : 'asks';
      const side = sides[name];
      const other = sides[name === 'bids' ? 'asks' : 'bids'];
      const rank = Math.min(side.length - 1, rng.geometric(25));
      const at = side.priceAt(rank) as number;
      const r = rng.float();
      // ~20 % deletes and ~20 % inserts, leaning towards the target level count.
      const drift = (side.length - target[name]) / 50;
      const pDelete = Math.max(0.05, Math.min(0.6, 0.2 + drift));
      const pInsert = Math.max(0.05, Math.min(0.6, 0.2 - drift));
      if (r < pDelete && side.length > 20) {
        side.set(at, 0);
        touched[name].set(at, 0);
      } else if (r < pDelete + pInsert) {
        const p = freeTick(side, other, rank, name === 'bids', tick);
        if (p !== undefined) {
          const q = size(inst.typicalQtyUnits, inst.stepUnits, rng);
          side.set(p, q);
          touched[name].set(p, q);
        } else {
          const q = size(inst.typicalQtyUnits, inst.stepUnits, rng);
          side.set(at, q);
          touched[name].set(at, q);
        }
      } else {
        const q = size(inst.typicalQtyUnits, inst.stepUnits, rng);
        side.set(at, q);
        touched[name].set(at, q);
      }
    }
    const count = touched.bids.size + touched.asks.size;
    if (k + count > cap) {
      cap = Math.max(cap * 2, k + count);
      const bigger = { isBid: new Uint8Array(cap), price: new Float64Array(cap), qty: new Float64Array(cap) };
      bigger.isBid.set(isBid);
      bigger.price.set(price);
      bigger.qty.set(qty);
      ({ isBid, price, qty } = bigger);
    }
    for (const [p, q] of [...touched.bids].sort((x, y) => y[0] - x[0])) {
      isBid[k] = 1;
      price[k] = p;
      qty[k++] = q;
    }
    for (const [p, q] of [...touched.asks].sort((x, y) => x[0] - y[0])) {
      isBid[k] = 0;
      price[k] = p;
      qty[k++] = q;
    }
    firstId[i] = next;
    lastId[i] = next + count - 1 + (sparse ? rng.int(0, 40) : 0);
    prevId[i] = prev;
    prev = lastId[i] as number;
    next = prev + 1 + (sparse ? rng.int(0, 40) : 0);
  }
  levelStart[n] = k;
  return { symbol, w, fe, initial, n, firstId, lastId, prevId, levelStart, isBid, price, qty };
}

/**
 * Where an insert drawn at `rank` goes: the free tick nearest to the drawn level, looking outward in both
 * directions (in the spread when it is open, beyond the last level at worst). The top of a deep book is
 * dense (one level per tick), so looking only next to the drawn level made most inserts fall back to
 * modifies (9 % inserts and 9 % deletes instead of 20 % each); looking only deeper filled the book's gaps
 * from the top down until inserts landed at the far end. Nearest-first refills the holes deletes leave near
 * the top, so the mix and the ranks stay stationary.
 */
function freeTick(side: BookSide, other: BookSide, rank: number, isBid: boolean, tick: number): number | undefined {
  // The gap after level `j` (between it and level j + 1); j = -1 is the spread.
  const gapAfter = (j: number): number | undefined => {
    if (j < 0) {
      const best = side.best() as number;
      return Math.abs((other.best() as number) - best) > tick ? (isBid ? best + tick : best - tick) : undefined;
    }
    const at = side.priceAt(j) as number;
    const next = side.priceAt(j + 1);
    if (next !== undefined && Math.abs(next - at) <= tick) return undefined;
    const p = isBid ? at - tick : at + tick;
    return p > 0 ? p : undefined;
  };
  for (let d = 0; rank + d < side.length || rank - d - 1 >= -1; d++) {
    if (rank + d < side.length) {
      const p = gapAfter(rank + d);
      if (p !== undefined) return p;
    }
    if (rank - d - 1 >= -1) {
      const p = gapAfter(rank - d - 1);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

/** Pre-frames every update as a WebSocket text frame (server → client, unmasked). */
function frame(s: Stream, combinedName: string | undefined): Framed {
  const n = s.n;
  let buf = Buffer.allocUnsafe(Math.max(1024, n * 700));
  const frameStart = new Uint32Array(n + 1);
  const eOffset = new Int32Array(n);
  const tOffset = new Int32Array(n);
  const spot = s.w.segment === 'spot';
  let at = 0;
  for (let i = 0; i < n; i++) {
    const bids: Array<[number, number]> = [];
    const asks: Array<[number, number]> = [];
    for (let k = s.levelStart[i] as number; k < (s.levelStart[i + 1] as number); k++) (s.isBid[k] ? bids : asks).push([s.price[k] as number, s.qty[k] as number]);
    const head = combinedName === undefined ? '' : `{"stream":"${combinedName}","data":`;
    const pre = `${head}{"e":"depthUpdate","E":`;
    const mid = spot ? `,"s":"${s.w.id}","U":${s.firstId[i]},"u":${s.lastId[i]},` : `,"T":${E_PLACEHOLDER},"s":"${s.w.id}","U":${s.firstId[i]},"u":${s.lastId[i]},"pu":${s.prevId[i]},`;
    const text = `${pre}${E_PLACEHOLDER}${mid}"b":${levelsJson(s.w, bids)},"a":${levelsJson(s.w, asks)}}${combinedName === undefined ? '' : '}'}`;
    const len = text.length; // ASCII only
    const headerLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
    if (at + headerLen + len > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, at + headerLen + len));
      buf.copy(bigger, 0, 0, at);
      buf = bigger;
    }
    frameStart[i] = at;
    buf[at] = 0x81;
    if (headerLen === 2) buf[at + 1] = len;
    else if (headerLen === 4) {
      buf[at + 1] = 126;
      buf.writeUInt16BE(len, at + 2);
    } else {
      buf[at + 1] = 127;
      buf.writeBigUInt64BE(BigInt(len), at + 2);
    }
    at += headerLen;
    buf.write(text, at, 'latin1');
    eOffset[i] = at + pre.length;
    tOffset[i] = spot ? -1 : at + pre.length + E_PLACEHOLDER.length + ',"T":'.length;
    at += len;
  }
  frameStart[n] = at;
  return { buf: buf.subarray(0, at), frameStart, eOffset, tOffset };
}
