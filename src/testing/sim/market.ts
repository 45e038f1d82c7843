/**
 * The simulator's venue-agnostic market core: instruments, one L2 book and trade tape per symbol, seeded
 * evolution (limit arrivals and cancels clustered near the top, takers that consume resting levels, mid
 * drift, and on request a steady trend) and the change feed front ends publish. Owns no sockets; a timer only when `tickMs > 0`.
 */
import { VenueError } from '../../core/errors.js';
import { L2Book, type BookSide, type BookSideName, type BookSnapshot } from './book-engine.js';
import { selectInstruments, type Instrument, type InstrumentSpec } from './instruments.js';
import { Rng } from './rng.js';
import { TradeTape, type SimTrade } from './trade-tape.js';

export type { SimTrade } from './trade-tape.js';

/** One change to a book: the levels that changed (absolute sizes, 0 = removed) and the ids it covers. */
export interface BookChange {
  readonly symbol: string;
  /** First update id covered (Binance `U`). */
  readonly firstId: number;
  /** Last update id covered; the book's id after this change (Binance `u`). */
  readonly lastId: number;
  /** The book's id before this change (Binance USD-M `pu` for unaggregated events). */
  readonly prevId: number;
  readonly time: number;
  /** Changed bid levels, best first, `[price, size]` in integer units. */
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
}

/** Callbacks a front end registers. Exceptions thrown here are counted, never break the market. */
export interface MarketListener {
  bookChange?(change: BookChange, book: L2Book): void;
  trade?(trade: SimTrade): void;
  /** The book was replaced wholesale (bench feed); `book.updateId` is its new id. */
  bookReplaced?(symbol: string, book: L2Book): void;
}

export interface MarketOptions {
  /** PRNG seed; the same seed gives the same books, trades and ids step by step. Default 1. */
  readonly seed?: number | undefined;
  /** Target levels a side (default 1,000, at most 5,000). Sides of very low-priced instruments hold fewer. */
  readonly depth?: number | undefined;
  /** All default instruments, the first N of each kind, or a list of unified symbols. */
  readonly symbols?: number | readonly string[] | undefined;
  /** Instrument catalogue to pick from (default: the built-in one). */
  readonly catalogue?: readonly InstrumentSpec[] | undefined;
  /** Evolution timer period in ms; each tick steps every symbol once. 0 = manual `step()` only. Default 50. */
  readonly tickMs?: number | undefined;
  /** Steps run per symbol before anything is served, so books and tapes look lived-in. Default 40. */
  readonly warmupSteps?: number | undefined;
  /** Clock for trade and candle times (default `Date.now`). */
  readonly now?: (() => number) | undefined;
}

/** How update ids advance: `contiguous` (`U == prev u + 1`, Binance spot) or `sparse` (ids jump, Binance USD-M). */
export type SequenceMode = 'contiguous' | 'sparse';

interface SymbolState {
  readonly instrument: Instrument;
  readonly rng: Rng;
  readonly book: L2Book;
  readonly tape: TradeTape;
  readonly sequence: SequenceMode;
  readonly bidTarget: number;
  readonly askTarget: number;
  /** Mean gap between deep levels, in ticks. */
  readonly meanGapTicks: number;
  /** Drift signal in ticks (a decision input only, never a price). */
  fair: number;
  /** The first id the next change will carry (pre-drawn, so sparse snapshots can name it). */
  nextFirstId: number;
  nextTradeId: number;
  frozen: boolean;
  steps: number;
  /** Levels a step's trend taker consumes (positive: the price rises, negative: it falls; 0: no trend). */
  trend: number;
}

const MAX_DEPTH = 5000;

/** The simulated market: every book, every trade, every id. The truth the front ends serve. */
export class Market {
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly seed: number;
  readonly depth: number;
  /** Listener exceptions swallowed so far (a front-end bug; tests assert it stays 0). */
  listenerErrors = 0;
  lastListenerError: unknown;
  private readonly states = new Map<string, SymbolState>();
  private readonly listeners = new Set<MarketListener>();
  private readonly truthHooks = new Map<string, () => void>();
  private readonly now: () => number;
  private tickMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: MarketOptions = {}) {
    this.seed = options.seed ?? 1;
    this.depth = options.depth ?? 1000;
    if (!Number.isInteger(this.depth) || this.depth < 1 || this.depth > MAX_DEPTH) {
      throw new VenueError('invalid-argument', `depth must be an integer in [1, ${MAX_DEPTH}], got ${options.depth}`);
    }
    this.now = options.now ?? Date.now;
    this.tickMs = options.tickMs ?? 50;
    const instruments = selectInstruments(options.symbols, options.catalogue);
    const map = new Map<string, Instrument>();
    for (const inst of instruments) {
      map.set(inst.symbol, inst);
      // One generator per symbol from (seed, symbol): a symbol evolves the same whatever else is selected.
      this.states.set(inst.symbol, this.createState(inst, new Rng(`${this.seed}:${inst.symbol}`)));
    }
    this.instruments = map;
    const warmup = options.warmupSteps ?? 40;
    for (const s of this.states.values()) for (let i = 0; i < warmup; i++) this.stepSymbol(s);
    if (this.tickMs > 0) this.start();
  }

  /** Unified symbols, in catalogue order. */
  get symbols(): string[] {
    return [...this.instruments.keys()];
  }

  instrument(symbol: string): Instrument {
    const i = this.instruments.get(symbol);
    if (i === undefined) throw new VenueError('not-found', `unknown simulator symbol ${symbol}`);
    return i;
  }

  /** The live truth book of a symbol (do not mutate; use `snapshot()` for a copy). */
  book(symbol: string): L2Book {
    this.truthHooks.get(symbol)?.();
    return this.state(symbol).book;
  }

  /**
   * Registers a function run before anyone reads `symbol`'s book, to bring it up to date (the bench feed
   * applies the updates it has written lazily). `undefined` removes it.
   */
  setTruthHook(symbol: string, hook: (() => void) | undefined): void {
    if (hook === undefined) this.truthHooks.delete(symbol);
    else this.truthHooks.set(symbol, hook);
  }

  /** Applies levels and advances the ids to `lastId` without telling listeners (frames were sent by the caller). */
  applySilently(symbol: string, lastId: number, bids: Iterable<readonly [number, number]>, asks: Iterable<readonly [number, number]>): void {
    const s = this.state(symbol);
    for (const [p, q] of bids) s.book.bids.set(p, q);
    for (const [p, q] of asks) s.book.asks.set(p, q);
    this.advanceIds(s, lastId);
  }

  tape(symbol: string): TradeTape {
    return this.state(symbol).tape;
  }

  sequenceMode(symbol: string): SequenceMode {
    return this.state(symbol).sequence;
  }

  /**
   * A detached copy of the truth book (up to `depth` levels a side) with the id a REST snapshot reports:
   * the last applied id for contiguous ids; for sparse ids the first id of the next change, as Binance
   * USD-M does (test/fixtures/binance/rest/usdm-depth-SUSHIUSDT-limit1000-recorded.json equals the next
   * event's `U`). Either way the book holds every change before that next event and none after.
   */
  snapshot(symbol: string, depth = Infinity): BookSnapshot {
    this.truthHooks.get(symbol)?.();
    const s = this.state(symbol);
    const snap = s.book.snapshot(depth);
    return s.sequence === 'sparse' ? { ...snap, updateId: s.nextFirstId } : snap;
  }

  /** The first update id the next change of `symbol` will carry. */
  nextUpdateId(symbol: string): number {
    return this.state(symbol).nextFirstId;
  }

  /** Advances the id counter past `lastId` (the bench feed used ids up to it). */
  private advanceIds(s: SymbolState, lastId: number): void {
    s.book.updateId = lastId;
    s.nextFirstId = lastId + 1 + (s.sequence === 'sparse' ? s.rng.int(0, 40) : 0);
  }

  /** Current time on the market's clock. */
  time(): number {
    return this.now();
  }

  /** Registers callbacks; returns the function that removes them. */
  listen(listener: MarketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts (or restarts with a new period) the evolution timer. */
  start(tickMs = this.tickMs || 50): void {
    this.stop();
    this.tickMs = tickMs;
    this.timer = setInterval(() => this.step(), tickMs);
  }

  /** Stops the timer; the market then changes only through `step()` and `executeTaker()`. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs `count` evolution steps on one symbol, or on every non-frozen symbol. */
  step(count = 1, symbol?: string): void {
    for (let i = 0; i < count; i++) {
      if (symbol !== undefined) this.stepSymbol(this.state(symbol));
      else for (const s of this.states.values()) if (!s.frozen) this.stepSymbol(s);
    }
  }

  /** Stops (or resumes) the evolution of one symbol; explicit calls still work. Used by the bench feed. */
  freeze(symbol: string, frozen = true): void {
    this.state(symbol).frozen = frozen;
  }

  /**
   * Makes `symbol` trend: every step a taker also consumes `levelsPerStep` levels from the touch (asks when
   * positive, so the price rises; bids when negative) and as many new levels join the other side inside the
   * spread, so the whole book moves, far past any snapshot of it. 0 ends the trend.
   */
  setTrend(symbol: string, levelsPerStep: number): void {
    if (!Number.isSafeInteger(levelsPerStep)) throw new VenueError('invalid-argument', `trend levelsPerStep must be an integer, got ${levelsPerStep}`);
    this.state(symbol).trend = levelsPerStep;
  }

  /**
   * Sends a marketable order of `qtyUnits` against the book: it consumes resting levels from the touch,
   * each fill a trade at that level's price, and publishes the depth change. Returns the trades.
   */
  executeTaker(symbol: string, side: 'buy' | 'sell', qtyUnits: number): SimTrade[] {
    const s = this.state(symbol);
    const changes = new Changes();
    const trades = this.consume(s, side, qtyUnits, changes, Infinity);
    this.commit(s, changes, trades);
    return trades;
  }

  /**
   * Like `executeTaker`, but stops at `limitPriceUnits` (a buy takes asks <= it, a sell bids >= it): consumes
   * levels best first, publishes the depth change then the trades, and returns the trades (the trading engine).
   */
  takeLiquidity(symbol: string, side: 'buy' | 'sell', qtyUnits: number, limitPriceUnits?: number): SimTrade[] {
    if (!Number.isSafeInteger(qtyUnits) || qtyUnits < 0) throw new VenueError('invalid-argument', `takeLiquidity qty must be a non-negative integer, got ${qtyUnits}`);
    this.truthHooks.get(symbol)?.();
    const s = this.state(symbol);
    const changes = new Changes();
    const trades = this.consume(s, side, qtyUnits, changes, Infinity, limitPriceUnits);
    this.commit(s, changes, trades);
    return trades;
  }

  /**
   * Prints one trade that did not touch the book (two simulator accounts matched each other): records it on
   * the tape and tells the trade listeners. Returns it.
   */
  publishTrade(symbol: string, takerSide: 'buy' | 'sell', priceUnits: number, qtyUnits: number): SimTrade {
    const s = this.state(symbol);
    const trade: SimTrade = { symbol, id: s.nextTradeId++, price: priceUnits, qty: qtyUnits, takerSide, time: this.now() };
    this.commit(s, new Changes(), [trade]);
    return trade;
  }

  /**
   * Replaces a book wholesale without publishing a depth change (the bench feed publishes its own);
   * `snapshot.updateId` is the last id applied to it.
   */
  replaceBook(symbol: string, snapshot: BookSnapshot): void {
    const s = this.state(symbol);
    s.book.load(snapshot);
    this.advanceIds(s, snapshot.updateId);
    for (const l of this.listeners) {
      try {
        l.bookReplaced?.(symbol, s.book);
      } catch (err) {
        this.countError(err);
      }
    }
  }

  close(): void {
    this.stop();
    this.listeners.clear();
  }

  // ------------------------------------------------------------------ evolution

  private state(symbol: string): SymbolState {
    const s = this.states.get(symbol);
    if (s === undefined) throw new VenueError('not-found', `unknown simulator symbol ${symbol}`);
    return s;
  }

  private createState(inst: Instrument, rng: Rng): SymbolState {
    const midTicks = Math.floor(inst.initialPriceUnits / inst.tickUnits);
    // Low-priced instruments cannot hold `depth` positive bid prices: cap the bid side.
    const bidTarget = Math.max(1, Math.min(this.depth, Math.floor((midTicks - 2) / 2)));
    const askTarget = this.depth;
    // Spread the book over ~2 % of the price (denser near the top), at least one tick a level.
    const span = Math.max(this.depth, Math.floor(midTicks * 0.02));
    const meanGapTicks = Math.max(0, span / this.depth - 1);
    const book = new L2Book();
    const sequence: SequenceMode = inst.kind === 'spot' ? 'contiguous' : 'sparse';
    book.updateId = sequence === 'contiguous' ? 1_000_000 + rng.int(0, 9_000_000) : 100_000_000_000 + rng.int(0, 900_000_000) * 100;
    const s: SymbolState = { instrument: inst, rng, book, tape: new TradeTape(), sequence, bidTarget, askTarget, meanGapTicks, fair: midTicks, nextFirstId: 0, nextTradeId: 1 + rng.int(0, 999) * 1000, frozen: false, steps: 0, trend: 0 };
    this.advanceIds(s, book.updateId);
    let bid = midTicks - 1;
    let ask = midTicks + 1;
    for (let i = 0; i < askTarget; i++) {
      if (i < bidTarget && bid > 0) {
        book.bids.set(bid * inst.tickUnits, this.restingSize(s, i));
        bid -= 1 + this.gapTicks(s, i);
      }
      book.asks.set(ask * inst.tickUnits, this.restingSize(s, i));
      ask += 1 + this.gapTicks(s, i);
    }
    return s;
  }

  /** Ticks skipped between neighbouring levels at `rank`: none at the top, wider deeper. */
  private gapTicks(s: SymbolState, rank: number): number {
    const mean = (s.meanGapTicks * 2 * rank) / this.depth;
    return mean < 0.05 ? 0 : s.rng.geometric(mean);
  }

  /** A resting size in qty units: typical × log-normal noise, larger deeper, a multiple of the step. */
  private restingSize(s: SymbolState, rank: number): number {
    const inst = s.instrument;
    const factor = Math.exp(0.8 * s.rng.normal()) * (1 + rank / 400);
    const steps = Math.max(1, Math.round((inst.typicalQtyUnits / inst.stepUnits) * factor));
    return Math.max(inst.minQtyUnits, Math.min(inst.maxQtyUnits, steps * inst.stepUnits));
  }

  private stepSymbol(s: SymbolState): void {
    const rng = s.rng;
    const inst = s.instrument;
    const book = s.book;
    const changes = new Changes();
    let trades: SimTrade[] = [];
    const bestBid = book.bids.best();
    const bestAsk = book.asks.best();
    const midTicks = bestBid !== undefined && bestAsk !== undefined ? (bestBid + bestAsk) / 2 / inst.tickUnits : s.fair;
    // Drift: a mean-reverting random walk the takers lean towards (2e-5 of the price per step).
    const initialTicks = inst.initialPriceUnits / inst.tickUnits;
    s.fair += rng.normal() * initialTicks * 2e-5 - (s.fair - initialTicks) * 1e-4;
    const r = rng.float();
    if (r < 0.5) this.addLimit(s, changes);
    else if (r < 0.85) this.cancel(s, changes);
    else {
      const lean = Math.max(-0.35, Math.min(0.35, (s.fair - midTicks) / Math.max(1, initialTicks * 2e-4)));
      const side = rng.chance(0.5 + lean) ? 'buy' : 'sell';
      const qty = this.restingSize(s, 0) * (1 + rng.geometric(1));
      trades = this.consume(s, side, qty, changes, 8);
    }
    if (s.trend !== 0) trades = trades.concat(this.trendStep(s, changes));
    this.maintain(s, book.bids, s.bidTarget, changes);
    this.maintain(s, book.asks, s.askTarget, changes);
    s.steps++;
    this.commit(s, changes, trades);
  }

  /** A new limit order: at a rank clustered near the top, sometimes a new price (or inside the spread). */
  private addLimit(s: SymbolState, changes: Changes): void {
    const rng = s.rng;
    const tick = s.instrument.tickUnits;
    const sideName: BookSideName = rng.chance(0.5) ? 'bids' : 'asks';
    const side = s.book.side(sideName);
    const other = s.book.side(sideName === 'bids' ? 'asks' : 'bids');
    const best = side.best();
    const opposite = other.best();
    const size = this.restingSize(s, 0);
    if (best === undefined) return;
    let price: number;
    const spreadTicks = opposite === undefined ? 0 : Math.abs(opposite - best) / tick;
    if (spreadTicks > 1 && rng.chance(Math.min(0.9, 0.15 + 0.1 * spreadTicks))) {
      // Improve the touch inside the spread, never crossing: wide spreads refill fast.
      const improve = 1 + rng.int(0, Math.min(spreadTicks - 2, Math.max(2, Math.floor(spreadTicks / 2))));
      price = sideName === 'bids' ? best + improve * tick : best - improve * tick;
    } else {
      const rank = Math.min(side.length - 1, rng.geometric(6));
      const at = side.priceAt(rank) as number;
      const next = side.priceAt(rank + 1);
      const gap = next === undefined ? 1 : Math.abs(next - at) / tick;
      if (gap > 1 && rng.chance(0.35)) price = sideName === 'bids' ? at - rng.int(1, gap - 1) * tick : at + rng.int(1, gap - 1) * tick;
      else price = at;
    }
    if (price <= 0) return;
    const qty = Math.min(s.instrument.maxQtyUnits * 10, side.get(price) + size);
    side.set(price, qty);
    changes.set(sideName, price, qty);
  }

  /**
   * One step of a trend: a taker sweeps `|trend|` levels from the touch it moves into, then the other side
   * follows with as many new levels a tick apart inside the spread (never crossing). The drift signal moves
   * along, so the ordinary takers do not lean against the trend.
   */
  private trendStep(s: SymbolState, changes: Changes): SimTrade[] {
    const up = s.trend > 0;
    const levels = Math.abs(s.trend);
    const trades = this.consume(s, up ? 'buy' : 'sell', Infinity, changes, levels);
    const tick = s.instrument.tickUnits;
    const follow = s.book.side(up ? 'bids' : 'asks');
    const lead = s.book.side(up ? 'asks' : 'bids');
    for (let i = 0; i < levels; i++) {
      const best = follow.best();
      const opposite = lead.best();
      if (best === undefined || opposite === undefined) break;
      const price = up ? best + tick : best - tick;
      if (price <= 0 || (up ? price >= opposite : price <= opposite)) break;
      const size = this.restingSize(s, 0);
      follow.set(price, size);
      changes.set(follow.name, price, size);
    }
    const bid = s.book.bids.best();
    const ask = s.book.asks.best();
    if (bid !== undefined && ask !== undefined) s.fair = (bid + ask) / 2 / tick;
    return trades;
  }

  /** A cancel near the top: removes the level or shrinks it by whole steps. */
  private cancel(s: SymbolState, changes: Changes): void {
    const rng = s.rng;
    const sideName: BookSideName = rng.chance(0.5) ? 'bids' : 'asks';
    const side = s.book.side(sideName);
    if (side.length <= 5) return;
    const rank = Math.min(side.length - 1, rng.geometric(8));
    const price = side.priceAt(rank) as number;
    const size = side.get(price);
    const step = s.instrument.stepUnits;
    let qty = 0;
    if (!rng.chance(0.4) && size > step) qty = Math.max(step, Math.floor((size * rng.float()) / step) * step);
    side.set(price, qty);
    changes.set(sideName, price, qty);
  }

  /**
   * A taker of `qty` units consumes the opposite side from the touch, at most `maxLevels` levels and never
   * below 5 remaining levels (and never past `limitPrice`). Each level touched gives one trade at that level's price.
   */
  private consume(s: SymbolState, side: 'buy' | 'sell', qty: number, changes: Changes, maxLevels: number, limitPrice?: number): SimTrade[] {
    const bookSideName: BookSideName = side === 'buy' ? 'asks' : 'bids';
    const book = s.book.side(bookSideName);
    const trades: SimTrade[] = [];
    const time = this.now();
    let remaining = qty;
    let levels = 0;
    while (remaining > 0 && levels < maxLevels && book.length > (Number.isFinite(maxLevels) ? 5 : 0)) {
      const price = book.best() as number;
      if (limitPrice !== undefined && (side === 'buy' ? price > limitPrice : price < limitPrice)) break;
      const size = book.get(price);
      const fill = Math.min(size, remaining);
      const left = size - fill;
      book.set(price, left);
      changes.set(bookSideName, price, left);
      trades.push({ symbol: s.instrument.symbol, id: s.nextTradeId++, price, qty: fill, takerSide: side, time });
      remaining -= fill;
      levels++;
    }
    return trades;
  }

  /** Keeps a side near its target depth by adding or removing levels at the far end. */
  private maintain(s: SymbolState, side: BookSide, target: number, changes: Changes): void {
    const tick = s.instrument.tickUnits;
    while (side.length > target) {
      const worst = side.worst() as number;
      side.set(worst, 0);
      changes.set(side.name, worst, 0);
    }
    let guard = 0;
    while (side.length < target && guard++ < 16) {
      const worst = side.worst();
      if (worst === undefined) return;
      const gap = (1 + this.gapTicks(s, side.length)) * tick;
      const price = side.name === 'bids' ? worst - gap : worst + gap;
      if (price <= 0) return;
      const size = this.restingSize(s, side.length);
      side.set(price, size);
      changes.set(side.name, price, size);
    }
  }

  /** Assigns ids to a step's changes and tells the listeners (depth change first, then the trades). */
  private commit(s: SymbolState, changes: Changes, trades: SimTrade[]): void {
    const n = changes.size;
    for (const t of trades) s.tape.record(t);
    if (n > 0) {
      const book = s.book;
      const prevId = book.updateId;
      const firstId = s.nextFirstId;
      const lastId = firstId + n - 1 + (s.sequence === 'sparse' ? s.rng.int(0, 40) : 0);
      this.advanceIds(s, lastId);
      const change: BookChange = { symbol: s.instrument.symbol, firstId, lastId, prevId, time: this.now(), bids: changes.sorted('bids'), asks: changes.sorted('asks') };
      for (const l of this.listeners) {
        try {
          l.bookChange?.(change, book);
        } catch (err) {
          this.countError(err);
        }
      }
    }
    for (const t of trades) {
      for (const l of this.listeners) {
        try {
          l.trade?.(t);
        } catch (err) {
          this.countError(err);
        }
      }
    }
  }

  private countError(err: unknown): void {
    this.listenerErrors++;
    this.lastListenerError = err;
  }
}

/** The levels one step changed, last value per price wins. */
class Changes {
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();

  get size(): number {
    return this.bids.size + this.asks.size;
  }

  set(side: BookSideName, price: number, qty: number): void {
    (side === 'bids' ? this.bids : this.asks).set(price, qty);
  }

  sorted(side: BookSideName): Array<readonly [number, number]> {
    const entries = [...(side === 'bids' ? this.bids : this.asks).entries()];
    return entries.sort((a, b) => (side === 'bids' ? b[0] - a[0] : a[0] - b[0]));
  }
}
