/**
 * The L2 order book: exact levels as scaled integers (bigint fallback when they do not fit), the reads
 * consumers use, what its snapshot covered on each side, and the writes and undo log the synchronizer
 * drives. Knows no venue and no sequence rules.
 */
import { Decimal, formatScaled, parseScaled } from '../decimal.js';
import { VenueError } from '../errors.js';
import type { UpdateId } from '../json.js';
import type { DepthMessage, Level, OrderBookSnapshot } from '../model.js';
import type { BookLevelsReader } from '../venue.js';
import { BigSide, NumberSide } from './book-side.js';

export type BookSideName = 'bids' | 'asks';

/**
 * Why the book was (re)built from a snapshot. `coverage`: the depth the consumer asked for was about to
 * leave the price range the last snapshot covered (where the book knows every level). `id-reset`: an update id
 * jumped implausibly far ahead of or behind the book (the venue restarted its ids, or sent a nonsense one).
 * `stalled`: data kept arriving but none of it could be applied for longer than the liveness window.
 */
export type ResyncReason = 'initial' | 'gap' | 'reconnect' | 'checksum' | 'venue-reset' | 'crossed' | 'coverage' | 'id-reset' | 'stalled';

export interface OrderBookOptions {
  /** Keep the venue's original price/size strings per level (for checksums such as OKX CRC32). */
  readonly keepLevelText?: boolean;
  /** Keep only this many best levels per side, trimming the far end after each message (window books). */
  readonly maxDepth?: number | undefined;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * One instrument's book. Prices and sizes are integers scaled by `priceScale`/`qtyScale` decimals (the
 * tick and step decimals). A string with more decimals widens the scale; a value beyond 2^53 switches the
 * book to bigint storage. Either way every level stays exact: the book never holds a rounded value.
 */
export class OrderBook implements BookLevelsReader {
  readonly symbol: string;
  readonly keepLevelText: boolean;
  readonly maxDepth: number | undefined;
  /** The update id the book is at (Binance `u`/`lastUpdateId`, Bybit `u`, OKX `seqId`). */
  seq: UpdateId = 0;
  /** Venue time of the last message applied (epoch ms). */
  exchangeTime = 0;
  /** Local receive time of the last message applied (epoch ms). */
  receivedAt = 0;

  private ps: number;
  private qs: number;
  private big = false;
  private nb: NumberSide;
  private na: NumberSide;
  private bb: BigSide | undefined;
  private ba: BigSide | undefined;
  private eventKind: 'snapshot' | 'update' = 'snapshot';
  private reason: ResyncReason | undefined = undefined;
  // The worst key each side's snapshot covered (levels at this key or better are all known); undefined when
  // the side is complete (the venue sent fewer levels than asked, or streams a window it maintains itself).
  private bidEdge: number | bigint | undefined = undefined;
  private askEdge: number | bigint | undefined = undefined;
  // Levels at or better than each edge, kept as levels come and go (meaningful only while the edge is set), so
  // `coveredDepth` costs no search.
  private bidCovered = 0;
  private askCovered = 0;

  // Undo log of the update in progress (see beginUpdate): side, key, previous qty (0 = absent), and the
  // previous texts when the book keeps them. The first `uLen` entries are live; the arrays keep their slots
  // between updates so the per-message log costs no allocation and no array resizing.
  private inUpdate = false;
  private uLen = 0;
  private readonly uBid: boolean[] = [];
  private uKey: Array<number | bigint> = [];
  private uQty: Array<number | bigint> = [];
  private readonly uPText: string[] = [];
  private readonly uQText: string[] = [];

  constructor(symbol: string, priceScale: number, qtyScale: number, opts: OrderBookOptions = {}) {
    if (!Number.isInteger(priceScale) || priceScale < 0 || !Number.isInteger(qtyScale) || qtyScale < 0) {
      throw new VenueError('invalid-argument', `book scales must be non-negative integers, got ${priceScale}/${qtyScale}`);
    }
    if (opts.maxDepth !== undefined && !(Number.isInteger(opts.maxDepth) && opts.maxDepth > 0)) {
      throw new VenueError('invalid-argument', `maxDepth must be a positive integer, got ${opts.maxDepth}`);
    }
    this.symbol = symbol;
    this.ps = priceScale;
    this.qs = qtyScale;
    this.keepLevelText = opts.keepLevelText === true;
    this.maxDepth = opts.maxDepth;
    this.nb = new NumberSide(this.keepLevelText);
    this.na = new NumberSide(this.keepLevelText);
  }

  /** Decimals of the scaled prices (`bestBidPrice()` is in units of `10^-priceScale`). Only ever grows. */
  get priceScale(): number {
    return this.ps;
  }
  get qtyScale(): number {
    return this.qs;
  }
  /** True once a value exceeded 2^53 at the book's scale and the book switched to bigint storage. */
  get bigintBacked(): boolean {
    return this.big;
  }
  /** `'snapshot'` on the first emit after a (re)sync, `'update'` afterwards. */
  get event(): 'snapshot' | 'update' {
    return this.eventKind;
  }
  /** Why the book was last rebuilt; set with `event === 'snapshot'`, undefined on updates. */
  get resyncReason(): ResyncReason | undefined {
    return this.reason;
  }
  get bidCount(): number {
    return this.big ? (this.bb as BigSide).count : this.nb.count;
  }
  get askCount(): number {
    return this.big ? (this.ba as BigSide).count : this.na.count;
  }

  /**
   * True when the snapshot covered the whole side: the venue sent fewer levels than asked (or the book is a
   * window the venue maintains), so every level the side holds is known.
   */
  isComplete(side: BookSideName): boolean {
    return (side === 'bids' ? this.bidEdge : this.askEdge) === undefined;
  }

  /**
   * Levels of a side that lie within what the snapshot covered (at or better than its worst level): these
   * equal the venue's. Beyond them the book holds only the levels that changed since, so it is incomplete
   * there. Every level when the side is complete.
   */
  coveredDepth(side: BookSideName): number {
    if (side === 'bids') return this.bidEdge === undefined ? this.bidCount : this.bidCovered;
    return this.askEdge === undefined ? this.askCount : this.askCovered;
  }

  /** True when each side is complete or has at least `depth` covered levels (its top `depth` are the venue's). */
  covers(depth: number): boolean {
    return (this.bidEdge === undefined || this.bidCovered >= depth) && (this.askEdge === undefined || this.askCovered >= depth);
  }

  /** Marks the book as freshly (re)built; set by the synchronizer before the first emit. */
  markSnapshot(reason: ResyncReason): void {
    this.eventKind = 'snapshot';
    this.reason = reason;
  }
  /** Marks the book as incrementally updated; set by the synchronizer. */
  markUpdate(): void {
    this.eventKind = 'update';
    this.reason = undefined;
  }

  // ------------------------------------------------------------------ hot-path reads

  /** Best bid as an integer count of `10^-priceScale`, NaN when empty (or beyond 2^53 when bigint-backed). */
  bestBidPrice(): number {
    if (this.big) return safeNumber(this.bb as BigSide, 1);
    const s = this.nb;
    return s.hi > s.lo ? (s.keys[s.hi - 1] as number) : NaN;
  }
  /** Best ask as an integer count of `10^-priceScale`, NaN when empty (or beyond 2^53 when bigint-backed). */
  bestAskPrice(): number {
    if (this.big) return safeNumber(this.ba as BigSide, -1);
    const s = this.na;
    return s.hi > s.lo ? -(s.keys[s.hi - 1] as number) : NaN;
  }

  /** True when the best bid is at or above the best ask. */
  isCrossed(): boolean {
    if (this.big) {
      const b = this.bb as BigSide;
      const a = this.ba as BigSide;
      return b.count > 0 && a.count > 0 && b.keyAt(0) >= -a.keyAt(0);
    }
    const b = this.nb;
    const a = this.na;
    return b.hi > b.lo && a.hi > a.lo && (b.keys[b.hi - 1] as number) >= -(a.keys[a.hi - 1] as number);
  }

  // ------------------------------------------------------------------ exact reads (allocate)

  bestBid(): Level | undefined {
    return this.bidCount > 0 ? this.levelAt(true, 0) : undefined;
  }
  bestAsk(): Level | undefined {
    return this.askCount > 0 ? this.levelAt(false, 0) : undefined;
  }

  /** Up to `depth` bids as exact levels, best first. Allocates per call: not for the hot path. */
  bids(depth = Infinity): Level[] {
    return this.levels(true, depth);
  }
  /** Up to `depth` asks as exact levels, best first. Allocates per call: not for the hot path. */
  asks(depth = Infinity): Level[] {
    return this.levels(false, depth);
  }

  /** Up to `depth` best levels as `[price, size]` text: the venue's strings with `keepLevelText`, else formatted. */
  topStrings(side: BookSideName, depth: number): Array<readonly [string, string]> {
    const isBid = side === 'bids';
    const n = Math.min(depth, isBid ? this.bidCount : this.askCount);
    const out: Array<readonly [string, string]> = [];
    const sign = isBid ? 1 : -1;
    if (this.big) {
      const s = (isBid ? this.bb : this.ba) as BigSide;
      for (let r = 0; r < n; r++) {
        const i = s.count - 1 - r;
        if (s.ptext !== undefined && s.qtext !== undefined) out.push([s.ptext[i] as string, s.qtext[i] as string]);
        else out.push([formatScaled(BigInt(sign) * s.keyAt(r), this.ps), formatScaled(s.qtyAt(r), this.qs)]);
      }
      return out;
    }
    const s = isBid ? this.nb : this.na;
    for (let r = 0; r < n; r++) {
      const i = s.hi - 1 - r;
      if (s.ptext !== undefined && s.qtext !== undefined) out.push([s.ptext[i] as string, s.qtext[i] as string]);
      else out.push([formatScaled(sign * s.keyAt(r) || 0, this.ps), formatScaled(s.qtyAt(r), this.qs)]);
    }
    return out;
  }

  /** A detached copy of the top `depth` levels per side with exact values. */
  snapshot(depth = Infinity): OrderBookSnapshot {
    return {
      symbol: this.symbol,
      bids: this.levels(true, depth),
      asks: this.levels(false, depth),
      seq: this.seq,
      exchangeTime: this.exchangeTime,
      receivedAt: this.receivedAt,
    };
  }

  // ------------------------------------------------------------------ writes

  /** Empties the book and returns it to number storage (scales stay as widened). */
  reset(): void {
    this.nb = new NumberSide(this.keepLevelText);
    this.na = new NumberSide(this.keepLevelText);
    this.bb = this.ba = undefined;
    this.big = false;
    this.bidEdge = this.askEdge = undefined;
    this.bidCovered = this.askCovered = 0;
    this.inUpdate = false;
    this.clearUndo();
    this.seq = 0;
    this.exchangeTime = this.receivedAt = 0;
  }

  /**
   * Replaces the whole book with a snapshot message. `requested`: the levels per side the snapshot was asked
   * for (a REST snapshot); a side that came back with that many is covered only down to its worst level,
   * unless the venue maintains a window of at most `requested` levels itself (`maxDepth`). Without
   * `requested` (an in-band snapshot of the venue's window) both sides are complete.
   * @throws VenueError `decode` on an invalid level, or a side asked for `requested` levels that holds none.
   */
  loadSnapshot(msg: DepthMessage, requested?: number): void {
    this.reset();
    this.applySide(true, msg.bids);
    this.applySide(false, msg.asks);
    if (requested !== undefined && !(this.maxDepth !== undefined && requested >= this.maxDepth)) {
      // Every level of a full side lies at or above its worst one: all are covered.
      if (msg.bids.length >= requested) {
        this.bidEdge = this.farKey(true);
        this.bidCovered = this.bidCount;
      }
      if (msg.asks.length >= requested) {
        this.askEdge = this.farKey(false);
        this.askCovered = this.askCount;
      }
    }
    this.finish(msg);
  }

  /**
   * Applies absolute levels to one side: size 0 deletes, an unknown price inserts, a known one is replaced.
   * Trims to `maxDepth` unless an update is in progress. @throws VenueError `decode` on an invalid level.
   */
  applyLevels(side: BookSideName, levels: ReadonlyArray<ReadonlyArray<string>>): void {
    const isBid = side === 'bids';
    this.applySide(isBid, levels);
    if (!this.inUpdate && this.maxDepth !== undefined) this.trim();
  }

  /** Applies a delta message's levels and takes its seq and times. */
  applyMessage(msg: DepthMessage): void {
    this.applySide(true, msg.bids);
    this.applySide(false, msg.asks);
    this.finish(msg);
  }

  /**
   * Starts an update that can be undone exactly: writes are logged until `commitUpdate` or
   * `rollbackUpdate`. The synchronizer uses it to check a delta (crossed, checksum) before keeping it.
   */
  beginUpdate(): void {
    this.inUpdate = true;
    this.clearUndo();
  }

  /** Keeps the update: trims to `maxDepth` and takes the message's seq and times. */
  commitUpdate(msg: DepthMessage): void {
    this.inUpdate = false;
    this.clearUndo();
    this.finish(msg);
  }

  /** Restores every level written since `beginUpdate`; seq and times are untouched. */
  rollbackUpdate(): void {
    for (let j = this.uLen - 1; j >= 0; j--) {
      const isBid = this.uBid[j] as boolean;
      const key = this.uKey[j] as number | bigint;
      const qty = this.uQty[j] as number | bigint;
      // The update inserted the level (undo: remove it), or removed or replaced it (undo: set it back).
      if (this.big) {
        const s = (isBid ? this.bb : this.ba) as BigSide;
        if (qty === 0n) this.moved(isBid, key, s.remove(key as bigint) === 0n ? 0 : -1);
        else this.moved(isBid, key, s.set(key as bigint, qty as bigint, this.uPText[j] ?? '', this.uQText[j] ?? '') === 0n ? 1 : 0);
      } else {
        const s = isBid ? this.nb : this.na;
        if (qty === 0) this.moved(isBid, key, s.remove(key as number) === 0 ? 0 : -1);
        else this.moved(isBid, key, s.set(key as number, qty as number, this.uPText[j] ?? '', this.uQText[j] ?? '') === 0 ? 1 : 0);
      }
    }
    this.inUpdate = false;
    this.clearUndo();
  }

  // ------------------------------------------------------------------ internals

  private finish(msg: DepthMessage): void {
    if (this.maxDepth !== undefined) this.trim();
    this.seq = msg.seq;
    this.exchangeTime = msg.exchangeTime;
    this.receivedAt = msg.receivedAt;
  }

  /** The key of a side's worst level (for the covered edge). @throws VenueError `decode` when the side is empty. */
  private farKey(isBid: boolean): number | bigint {
    if (this.big) {
      const s = (isBid ? this.bb : this.ba) as BigSide;
      if (s.count > 0) return s.keyAt(s.count - 1);
    } else {
      const s = isBid ? this.nb : this.na;
      if (s.count > 0) return s.keyAt(s.count - 1);
    }
    throw new VenueError('decode', `${this.symbol}: a full-length snapshot side holds no level`);
  }

  private trim(): void {
    const d = this.maxDepth as number;
    if (this.big) {
      (this.bb as BigSide).trimFar(d);
      (this.ba as BigSide).trimFar(d);
    } else {
      this.nb.trimFar(d);
      this.na.trimFar(d);
    }
    // The far end goes first, and covered levels are the best ones: at most `d` stay.
    if (this.bidCovered > d) this.bidCovered = d;
    if (this.askCovered > d) this.askCovered = d;
  }

  /**
   * A level at `key` came (`change` 1) or went (-1), or stayed (0): counted when it lies at or better than the
   * side's covered edge. O(1): keys are compared with the edge only.
   */
  private moved(isBid: boolean, key: number | bigint, change: number): void {
    if (change === 0) return;
    if (isBid) {
      if (this.bidEdge !== undefined && key >= this.bidEdge) this.bidCovered += change;
    } else if (this.askEdge !== undefined && key >= this.askEdge) this.askCovered += change;
  }

  /** The hot loop: digit-parse each level at the book's scales; anything unusual goes to `applyExact`. */
  private applySide(isBid: boolean, levels: ReadonlyArray<ReadonlyArray<string>>): void {
    const n = levels.length;
    for (let i = 0; i < n; i++) {
      const lv = levels[i] as ReadonlyArray<string>;
      const p = lv[0] as string;
      const q = lv[1] as string;
      if (!this.big && typeof p === 'string' && typeof q === 'string') {
        let px = parseUnits(p, this.ps);
        if (px !== px) px = parseScaled(p, this.ps);
        let qty = parseUnits(q, this.qs);
        if (qty !== qty) qty = parseScaled(q, this.qs);
        if (px === px && qty >= 0) {
          const side = isBid ? this.nb : this.na;
          const key = isBid ? px : -px;
          const old = qty === 0 ? side.remove(key) : side.set(key, qty, p, q);
          // Inserted (new level) or removed (a known one deleted): the covered count may move.
          if ((old === 0) !== (qty === 0)) this.moved(isBid, key, qty === 0 ? -1 : 1);
          if (this.inUpdate) this.logUndo(isBid, key, old, side);
          continue;
        }
      }
      this.applyExact(isBid, p, q);
    }
  }

  /** Slow path: non-fitting or unusual strings, widening the scale or moving to bigint as needed. */
  private applyExact(isBid: boolean, p: unknown, q: unknown): void {
    const dp = typeof p === 'string' ? Decimal.tryParse(p) : undefined;
    const dq = typeof q === 'string' ? Decimal.tryParse(q) : undefined;
    if (dp === undefined || dq === undefined || dq.isNegative()) {
      throw new VenueError('decode', `${this.symbol}: invalid book level [${describeText(p)}, ${describeText(q)}]`);
    }
    const price = dp.normalize();
    const amount = dq.normalize();
    if (price.scale > this.ps || amount.scale > this.qs) this.widen(Math.max(this.ps, price.scale), Math.max(this.qs, amount.scale));
    const key = (isBid ? 1n : -1n) * price.toScaledBigInt(this.ps);
    const qty = amount.toScaledBigInt(this.qs);
    if (!this.big) {
      if (key >= -BigInt(MAX_SAFE) && key <= BigInt(MAX_SAFE) && qty <= BigInt(MAX_SAFE)) {
        const side = isBid ? this.nb : this.na;
        const k = Number(key);
        const old = qty === 0n ? side.remove(k) : side.set(k, Number(qty), p as string, q as string);
        if ((old === 0) !== (qty === 0n)) this.moved(isBid, k, qty === 0n ? -1 : 1);
        if (this.inUpdate) this.logUndo(isBid, k, old, side);
        return;
      }
      this.toBigint();
    }
    const side = (isBid ? this.bb : this.ba) as BigSide;
    const old = qty === 0n ? side.remove(key) : side.set(key, qty, p as string, q as string);
    if ((old === 0n) !== (qty === 0n)) this.moved(isBid, key, qty === 0n ? -1 : 1);
    if (this.inUpdate) this.logUndo(isBid, key, old, side);
  }

  /** Raises the scales, rescaling stored values; moves to bigint when a value would pass 2^53. */
  private widen(ps: number, qs: number): void {
    const dp = ps - this.ps;
    const dq = qs - this.qs;
    if (!this.big) {
      const fp = POW10[dp];
      const fq = POW10[dq];
      let maxKey = Math.max(this.nb.maxAbsKey(), this.na.maxAbsKey());
      let maxQty = Math.max(this.nb.maxQty(), this.na.maxQty());
      for (let j = 0; j < this.uLen; j++) {
        maxKey = Math.max(maxKey, Math.abs(this.uKey[j] as number));
        maxQty = Math.max(maxQty, this.uQty[j] as number);
      }
      for (const edge of [this.bidEdge, this.askEdge]) if (edge !== undefined) maxKey = Math.max(maxKey, Math.abs(edge as number));
      // Integer products below 2^53 are exact in a double, and a product that is not stays above it.
      if (fp !== undefined && fq !== undefined && maxKey * fp <= MAX_SAFE && maxQty * fq <= MAX_SAFE) {
        this.nb.rescale(fp, fq);
        this.na.rescale(fp, fq);
        for (let j = 0; j < this.uLen; j++) {
          this.uKey[j] = (this.uKey[j] as number) * fp;
          this.uQty[j] = (this.uQty[j] as number) * fq;
        }
        if (this.bidEdge !== undefined) this.bidEdge = (this.bidEdge as number) * fp;
        if (this.askEdge !== undefined) this.askEdge = (this.askEdge as number) * fp;
        this.ps = ps;
        this.qs = qs;
        return;
      }
      this.toBigint();
    }
    const fp = 10n ** BigInt(dp);
    const fq = 10n ** BigInt(dq);
    (this.bb as BigSide).rescale(fp, fq);
    (this.ba as BigSide).rescale(fp, fq);
    for (let j = 0; j < this.uLen; j++) {
      this.uKey[j] = (this.uKey[j] as bigint) * fp;
      this.uQty[j] = (this.uQty[j] as bigint) * fq;
    }
    if (this.bidEdge !== undefined) this.bidEdge = (this.bidEdge as bigint) * fp;
    if (this.askEdge !== undefined) this.askEdge = (this.askEdge as bigint) * fp;
    this.ps = ps;
    this.qs = qs;
  }

  private toBigint(): void {
    this.bb = BigSide.fromNumbers(this.nb);
    this.ba = BigSide.fromNumbers(this.na);
    // Only the live entries: the slots past `uLen` are stale and overwritten before they are read again.
    this.uKey = this.uKey.slice(0, this.uLen).map((k) => BigInt(k));
    this.uQty = this.uQty.slice(0, this.uLen).map((k) => BigInt(k));
    if (this.bidEdge !== undefined) this.bidEdge = BigInt(this.bidEdge);
    if (this.askEdge !== undefined) this.askEdge = BigInt(this.askEdge);
    this.big = true;
  }

  private logUndo(isBid: boolean, key: number | bigint, old: number | bigint, side: NumberSide | BigSide): void {
    const j = this.uLen++;
    this.uBid[j] = isBid;
    this.uKey[j] = key;
    this.uQty[j] = old;
    if (this.keepLevelText) {
      this.uPText[j] = side.lastPText;
      this.uQText[j] = side.lastQText;
    }
  }

  /** Forgets the log (keeping its slots; stale texts are only ever overwritten, never read). */
  private clearUndo(): void {
    this.uLen = 0;
  }

  private levelAt(isBid: boolean, rank: number): Level {
    if (this.big) {
      const s = (isBid ? this.bb : this.ba) as BigSide;
      const key = s.keyAt(rank);
      return { price: Decimal.fromScaled(isBid ? key : -key, this.ps), amount: Decimal.fromScaled(s.qtyAt(rank), this.qs) };
    }
    const s = isBid ? this.nb : this.na;
    const key = s.keyAt(rank);
    return { price: Decimal.fromScaled(isBid ? key : -key || 0, this.ps), amount: Decimal.fromScaled(s.qtyAt(rank), this.qs) };
  }

  private levels(isBid: boolean, depth: number): Level[] {
    const n = Math.min(depth, isBid ? this.bidCount : this.askCount);
    const out: Level[] = [];
    for (let r = 0; r < n; r++) out.push(this.levelAt(isBid, r));
    return out;
  }
}

/**
 * The hot-path reader of a venue level string: plain unsigned decimal text (`"65000.01000000"`) to an
 * integer count of `10^-scale` units, digit by digit. Exact or NaN: NaN for anything else (a sign, an
 * exponent, a non-zero digit beyond `scale`, a value beyond 2^53 − 1), after which the caller asks
 * `parseScaled` and then the exact slow path. A narrower, faster cousin of `parseScaled`.
 */
export function parseUnits(s: string, scale: number): number {
  const len = s.length;
  let i = 0;
  let v = 0;
  let d = 0;
  for (; i < len; i++) {
    d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  const intDigits = i;
  let frac = 0;
  if (i < len) {
    if (d !== -2 /* '.' */) return NaN;
    const fracStart = ++i;
    const fracEnd = Math.min(len, fracStart + scale);
    for (; i < fracEnd; i++) {
      d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return NaN;
      v = v * 10 + d;
    }
    frac = i - fracStart;
    for (; i < len; i++) if (s.charCodeAt(i) !== 48 /* 0 */) return NaN; // beyond the scale: zeros only
    if (len === 1) return NaN; // "."
  } else if (intDigits === 0) return NaN; // ""
  for (; frac < scale; frac++) v *= 10;
  // Every step above was exact while the value stayed below 2^53; a larger one never rounds back below it.
  return v <= MAX_SAFE ? v : NaN;
}

/** The best price of a bigint side as a number when it is a safe integer, else NaN. */
function safeNumber(side: BigSide, sign: 1 | -1): number {
  if (side.count === 0) return NaN;
  const v = side.keyAt(0) * BigInt(sign);
  return v >= -BigInt(MAX_SAFE) && v <= BigInt(MAX_SAFE) ? Number(v) : NaN;
}

function describeText(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}
