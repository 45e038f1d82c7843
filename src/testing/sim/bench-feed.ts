/**
 * The deterministic benchmark feed, venue-neutral core: for one symbol on one venue, a deep book and a
 * pre-generated market change stream (`bench-stream.ts`), sent as that venue sends it (`bench-venue.ts`:
 * Binance raw diffs; `bench-bybit.ts` / `bench-okx.ts`: top-1000 / top-400 window diffs), pre-framed and
 * written to the subscribed sockets as a flood or at a fixed rate, with the monotonic write time of every
 * message. The market's truth follows what was written, so REST snapshots stay consistent with the stream.
 */
import type { Duplex } from 'node:stream';
import { VenueError } from '../../core/errors.js';
import type { BookSnapshot } from './book-engine.js';
import { bybitBenchVenue } from './bench-bybit.js';
import { okxBenchVenue } from './bench-okx.js';
import { deepBook, generate, replay, type BenchStream, type Framed } from './bench-stream.js';
import { binanceBenchVenue, type BenchMessages, type BenchSession, type BenchVenue } from './bench-venue.js';
import type { BinanceFrontEnd } from './binance/binance-front-end.js';
import type { BybitFrontEnd } from './bybit/bybit-front-end.js';
import type { SimFrontEnd, SimVenue } from './front-end.js';
import type { Market } from './market.js';
import type { OkxFrontEnd } from './okx/okx-front-end.js';
import { Rng } from './rng.js';

export interface BenchPrepareOptions {
  /** Unified symbol (`BTC/USDT`, `BTC/USDT:USDT`). */
  readonly symbol: string;
  /** Number of market updates to generate. */
  readonly updates: number;
  /** Venue whose market and stream format to use (default binance). */
  readonly venue?: SimVenue;
  /** Install a fresh book of this many levels a side first (default: keep the live book). Call before clients subscribe. */
  readonly levels?: number;
  /** Seed of the update stream (default: the venue market's seed). */
  readonly seed?: number;
}

export interface BenchStartOptions extends Partial<BenchPrepareOptions> {
  /** Messages per second; 0 = flood (large chunks as fast as the sockets take them). */
  readonly ratePerSec?: number;
}

export type BenchState = 'idle' | 'prepared' | 'running' | 'done' | 'failed';

/** What a client needs to measure: per message its book id and its server write time. */
export interface BenchResult {
  readonly state: BenchState;
  readonly venue?: SimVenue;
  readonly symbol?: string;
  readonly id?: string;
  /** Binance `spot` / `usdm`, Bybit category, OKX instType. */
  readonly segment?: string;
  /** Market updates generated. */
  readonly updates: number;
  /** Messages sent for them (Binance: one per update; Bybit / OKX: one per update that changed the window). */
  readonly messages: number;
  readonly ratePerSec?: number;
  /** The channel's id before the first message (Binance: the book's update id; Bybit `u`; OKX `seqId`). */
  readonly initialUpdateId?: number;
  /** The id each message carries (Binance / Bybit `u`, OKX `seqId`), in order; before a start, as it would be now. */
  readonly lastUpdateIds: number[];
  /** `process.hrtime.bigint()` at the write of each message, as decimal strings (ns); only messages written. */
  readonly writeTimesNs: string[];
  readonly written: number;
  readonly bytesPerTarget?: number;
  readonly targets?: number;
  readonly error?: string;
}

const CHUNK_BYTES = 256 * 1024;

interface Prepared {
  readonly venue: BenchVenue;
  readonly symbol: string;
  readonly id: string;
  readonly segment: string;
  readonly stream: BenchStream;
  readonly session: BenchSession;
}

/** Drives one benchmark run at a time. */
export class BenchFeed {
  private readonly venues = new Map<SimVenue, BenchVenue>();
  private prepared: Prepared | undefined;
  /** The messages of the current (or last) run, fixed at start. */
  private messages: BenchMessages | undefined;
  private state: BenchState = 'idle';
  private written = 0;
  /** Market updates applied to the truth so far. */
  private applied = 0;
  private writeTimes: BigInt64Array = new BigInt64Array(0);
  private ratePerSec = 0;
  private targets = 0;
  private bytesPerTarget = 0;
  private error: string | undefined;
  private abort: AbortController | undefined;
  private done: Promise<void> = Promise.resolve();

  constructor(
    /** Every served front end; the bench serves the venues it has a framer for (Binance, Bybit, OKX). */
    frontEnds: readonly SimFrontEnd[],
    /** The venues' clock (wall time plus any skew fault), written into the frames' timestamps. */
    private readonly now: () => number = Date.now,
  ) {
    const binance = frontEnds.filter((f) => f.venue === 'binance') as BinanceFrontEnd[];
    if (binance.length > 0) {
      this.venues.set('binance', binanceBenchVenue(binance[0]?.market as Market, (segment) => binance.find((f) => f.segments.includes(segment)) as BinanceFrontEnd));
    }
    const bybit = frontEnds.find((f) => f.venue === 'bybit');
    if (bybit !== undefined) this.venues.set('bybit', bybitBenchVenue(bybit as BybitFrontEnd));
    const okx = frontEnds.find((f) => f.venue === 'okx');
    if (okx !== undefined) this.venues.set('okx', okxBenchVenue(okx as OkxFrontEnd));
  }

  /**
   * Generates the update stream (and optionally installs a fresh deep book); freezes the symbol's evolution
   * until `release()` (a previously benched other symbol is released).
   */
  prepare(o: BenchPrepareOptions): { venue: SimVenue; symbol: string; id: string; segment: string; updates: number; messages: number; initialUpdateId: number } {
    if (this.state === 'running') throw new VenueError('invalid-argument', 'a bench run is in progress');
    if (!Number.isInteger(o.updates) || o.updates < 1 || o.updates > 5_000_000) throw new VenueError('invalid-argument', `updates must be an integer in [1, 5000000], got ${o.updates}`);
    const venue = this.venues.get(o.venue ?? 'binance');
    if (venue === undefined) throw new VenueError('not-found', `the bench feed does not serve ${o.venue ?? 'binance'}`);
    const market = venue.market;
    const inst = market.instrument(o.symbol);
    const resolved = venue.resolve(o.symbol);
    const previous = this.prepared;
    if (previous !== undefined && (previous.symbol !== o.symbol || previous.venue !== venue)) previous.venue.market.freeze(previous.symbol, false);
    market.setTruthHook(o.symbol, undefined);
    market.freeze(o.symbol);
    resolved.flush();
    const rng = new Rng(`bench:${o.seed ?? market.seed}:${o.symbol}`);
    if (o.levels !== undefined) market.replaceBook(o.symbol, deepBook(market, o.symbol, o.levels, rng));
    const initial = market.book(o.symbol).snapshot();
    const stream = generate(market, o.symbol, inst, initial, o.updates, rng);
    const session = resolved.session(stream);
    this.prepared = { venue, symbol: o.symbol, id: resolved.id, segment: resolved.segment, stream, session };
    this.messages = undefined;
    this.state = 'prepared';
    this.written = 0;
    this.applied = 0;
    this.writeTimes = new BigInt64Array(0);
    this.error = undefined;
    const m = session.messages();
    return { venue: venue.venue, symbol: o.symbol, id: resolved.id, segment: resolved.segment, updates: o.updates, messages: m.ids.length, initialUpdateId: m.initialId };
  }

  /**
   * Starts writing to every connection subscribed to the symbol's book stream. Prepares first when nothing
   * (or another symbol) is prepared. Returns when writing has started; `finished()` resolves when done.
   */
  start(o: BenchStartOptions): { venue: SimVenue; symbol: string; updates: number; messages: number; targets: number; ratePerSec: number } {
    if (this.state === 'running') throw new VenueError('invalid-argument', 'a bench run is in progress');
    const p0 = this.prepared;
    if (p0 === undefined || this.state !== 'prepared' || (o.symbol !== undefined && o.symbol !== p0.symbol) || (o.updates !== undefined && o.updates !== p0.stream.n) || (o.venue !== undefined && o.venue !== p0.venue.venue)) {
      if (o.symbol === undefined || o.updates === undefined) throw new VenueError('invalid-argument', 'bench start needs symbol and updates when nothing is prepared');
      this.prepare({ symbol: o.symbol, updates: o.updates, ...(o.venue !== undefined ? { venue: o.venue } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}) });
    }
    const p = this.prepared as Prepared;
    const ratePerSec = o.ratePerSec ?? 0;
    if (!Number.isFinite(ratePerSec) || ratePerSec < 0) throw new VenueError('invalid-argument', `ratePerSec must be >= 0, got ${ratePerSec}`);
    const { messages, targets } = p.session.plan();
    const market = p.venue.market;
    this.messages = messages;
    this.writeTimes = new BigInt64Array(messages.ids.length);
    this.state = 'running';
    this.ratePerSec = ratePerSec;
    this.targets = targets.length;
    this.bytesPerTarget = targets[0]?.framed.buf.length ?? 0;
    market.setTruthHook(p.symbol, () => this.catchUpTruth());
    this.abort = new AbortController();
    const signal = this.abort.signal;
    // The symbol stays frozen when the run ends: the last frames are still in socket buffers when the writer
    // finishes, and evolution resumed now would queue live diffs right behind them, so a client that reads
    // the tail in one go would show a book past the run's last id (`release()` resumes evolution).
    this.done = this.run(p, messages, targets, ratePerSec, signal).then(
      () => {
        this.catchUpTruth(this.written === messages.ids.length);
        market.setTruthHook(p.symbol, undefined);
        p.session.finish(this.written, !signal.aborted);
        this.state = signal.aborted ? 'failed' : 'done';
        if (signal.aborted) this.error = 'stopped';
      },
      (err: unknown) => {
        this.state = 'failed';
        this.error = err instanceof Error ? err.message : String(err);
        this.catchUpTruth();
        market.setTruthHook(p.symbol, undefined);
        p.session.finish(this.written, false);
      },
    );
    return { venue: p.venue.venue, symbol: p.symbol, updates: p.stream.n, messages: messages.ids.length, targets: targets.length, ratePerSec };
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
    const p = this.prepared;
    if (p === undefined) return { symbol: undefined };
    p.venue.market.freeze(p.symbol, false);
    return { symbol: p.symbol };
  }

  result(): BenchResult {
    const p = this.prepared;
    const m = this.currentMessages();
    const times: string[] = new Array(this.written);
    for (let i = 0; i < this.written; i++) times[i] = (this.writeTimes[i] as bigint).toString();
    return {
      state: this.state,
      ...(p === undefined ? {} : { venue: p.venue.venue, symbol: p.symbol, id: p.id, segment: p.segment }),
      ...(m === undefined ? {} : { initialUpdateId: m.initialId }),
      updates: p?.stream.n ?? 0,
      messages: m?.ids.length ?? 0,
      ratePerSec: this.ratePerSec,
      lastUpdateIds: m === undefined ? [] : Array.from(m.ids),
      writeTimesNs: times,
      written: this.written,
      bytesPerTarget: this.bytesPerTarget,
      targets: this.targets,
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }

  /** The market of the prepared run's venue (what `/_sim/bench/book` formats levels with). */
  get market(): Market | undefined {
    return this.prepared?.venue.market;
  }

  /** Index of the message whose id is `updateId` (the last one at or below it; -1 when before the first). */
  indexOfUpdateId(updateId: number): number {
    const ids = this.requireMessages().ids;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ids[mid] as number) <= updateId) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The truth book after message `index` (−1 = before the first), replayed from the initial book. */
  bookAt(index: number): BookSnapshot {
    const m = this.requireMessages();
    const s = (this.prepared as Prepared).stream;
    const last = Math.min(index, m.ids.length - 1);
    const { bids, asks } = replay(s, last < 0 ? -1 : this.marketIndexOf(m, last));
    return { updateId: last < 0 ? m.initialId : (m.ids[last] as number), bids: bids.top(), asks: asks.top() };
  }

  private currentMessages(): BenchMessages | undefined {
    return this.messages ?? this.prepared?.session.messages();
  }

  private requireMessages(): BenchMessages {
    const m = this.currentMessages();
    if (m === undefined) throw new VenueError('not-found', 'no bench stream prepared');
    return m;
  }

  private marketIndexOf(m: BenchMessages, message: number): number {
    return m.marketIndex === undefined ? message : (m.marketIndex[message] as number);
  }

  /**
   * Applies the market updates the written messages cover to the venue market's truth book (all of them with
   * `all`: updates after the last message changed nothing the venue shows).
   */
  private catchUpTruth(all = false): void {
    const p = this.prepared;
    const m = this.messages;
    if (p === undefined || m === undefined) return;
    const s = p.stream;
    const through = all ? s.n - 1 : this.written === 0 ? -1 : this.marketIndexOf(m, this.written - 1);
    while (this.applied <= through) {
      const i = this.applied++;
      const bids: Array<[number, number]> = [];
      const asks: Array<[number, number]> = [];
      for (let k = s.levelStart[i] as number; k < (s.levelStart[i + 1] as number); k++) (s.isBid[k] ? bids : asks).push([s.price[k] as number, s.qty[k] as number]);
      p.venue.market.applySilently(s.symbol, s.lastId[i] as number, bids, asks);
    }
  }

  private async run(p: Prepared, m: BenchMessages, plan: Array<{ socket: Duplex; framed: Framed }>, ratePerSec: number, signal: AbortSignal): Promise<void> {
    const n = m.ids.length;
    const t0 = process.hrtime.bigint();
    while (this.written < n && !signal.aborted) {
      let end: number;
      if (ratePerSec > 0) {
        const due = Math.min(n, Math.floor((Number(process.hrtime.bigint() - t0) / 1e9) * ratePerSec) + 1);
        if (due <= this.written) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        end = due;
      } else end = n;
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
      for (const t of plan) {
        const f = t.framed;
        if (!patched.has(f)) {
          patched.add(f);
          for (let i = from; i < j; i++) {
            f.buf.write(ms, f.stamp1[i] as number, 'latin1');
            const t2 = f.stamp2[i] as number;
            if (t2 >= 0) f.buf.write(ms, t2, 'latin1');
          }
        }
        if (t.socket.destroyed) throw new VenueError('network', 'a bench client disconnected');
        const ok = t.socket.write(f.buf.subarray(f.frameStart[from] as number, f.frameStart[j] as number));
        // A client that goes away mid-run must not leave the writer waiting for a drain that never comes.
        if (!ok) wait.push(drainOrClose(t.socket));
      }
      for (let i = from; i < j; i++) this.writeTimes[i] = now;
      this.written = j;
      p.session.wrote?.();
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
