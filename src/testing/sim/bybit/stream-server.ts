/**
 * The Bybit front end's public streams (`/v5/public/{spot,linear,inverse}`): subscribe / unsubscribe with
 * Bybit's acks, `{"op":"ping"}` pongs, the idle cut, and the pushes: `orderbook.{depth}` window diffs,
 * batched `publicTrade`, `tickers` (spot snapshots; derivatives snapshot then changed fields), `kline`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import type { L2Book } from '../book-engine.js';
import type { SimFaults } from '../faults.js';
import type { BookChange, Market, SimTrade } from '../market.js';
import { BookTopic, bookDepths } from './book-topic.js';
import { BybitConnection } from './connection.js';
import { tickerValues, wsCandle, wsTickerFields } from './ticker-values.js';
import { KLINE_INTERVALS, klineFrame, publicTradeFrame, tickDirection, tickerFrame, tradeItem, type BybitCategory, type BybitSymbol } from './wire-format.js';

export interface BybitStreamOptions {
  readonly market: Market;
  readonly faults: SimFaults;
  /** Symbols by category then id. */
  readonly symbols: ReadonlyMap<BybitCategory, ReadonlyMap<string, BybitSymbol>>;
  /** Close a connection that sent nothing for this long (default 600,000 ms). */
  readonly idleTimeoutMs: number;
  /** Args per subscribe request on spot (Bybit: 10). */
  readonly spotArgsPerRequest: number;
}

/** A parsed topic. */
type Topic =
  | { kind: 'orderbook'; s: BybitSymbol; depth: number }
  | { kind: 'publicTrade'; s: BybitSymbol }
  | { kind: 'tickers'; s: BybitSymbol }
  | { kind: 'kline'; s: BybitSymbol; interval: string; ms: number };

interface TickerState {
  readonly s: BybitSymbol;
  values: Record<string, string> | undefined;
  dirty: boolean;
}

const HOUSEKEEPING_MS = 100;

export class BybitStreamServer {
  readonly connections = new Set<BybitConnection>();
  readonly counts = { accepted: 0, closedByServer: {} as Record<string, number> };
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
  /** Subscribers per `category|topic`. */
  private readonly subs = new Map<string, Set<BybitConnection>>();
  private readonly books = new Map<string, BookTopic>();
  private readonly tickers = new Map<string, TickerState>();
  private readonly klineDirty = new Set<string>();
  /** Last `u` per book topic key, so a re-created topic continues its numbering. */
  private readonly lastU = new Map<string, number>();
  private readonly byUnified = new Map<string, BybitSymbol>();
  private readonly lastTrade = new Map<string, { price: number; direction: string }>();
  private readonly pendingTrades = new Map<string, SimTrade[]>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly unlisten: () => void;

  constructor(private readonly o: BybitStreamOptions) {
    for (const m of o.symbols.values()) for (const s of m.values()) this.byUnified.set(s.instrument.symbol, s);
    this.unlisten = o.market.listen({
      bookChange: (c, book) => this.onBookChange(c, book),
      trade: (t) => this.onTrade(t),
      bookReplaced: (symbol, book) => this.onBookReplaced(symbol, book),
    });
    this.timer = setInterval(() => this.housekeeping(), HOUSEKEEPING_MS);
  }

  get subscriptionCount(): number {
    let n = 0;
    for (const c of this.connections) n += c.topics.size;
    return n;
  }

  /** The tick direction of a symbol's last trade (tickers use it). */
  direction(symbol: string): string {
    return this.lastTrade.get(symbol)?.direction ?? 'ZeroPlusTick';
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, category: BybitCategory): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new BybitConnection(ws, socket, category, () => this.o.faults.delayMs, (c) => this.onClosed(c));
      this.connections.add(conn);
      this.counts.accepted++;
      ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    });
  }

  /** Connections of some categories (all when undefined). */
  of(category?: string): BybitConnection[] {
    return [...this.connections].filter((c) => category === undefined || c.category === category);
  }

  /**
   * Sends a fresh snapshot on every order-book topic of `symbol` (in `category`, or all): with `u` 1 for a
   * restart (then deltas continue from 1), or with the next `u` for a plain re-snapshot. Returns the topics hit.
   */
  resnapshot(symbol: string, restart: boolean, category?: string): number {
    const s = this.byUnified.get(symbol);
    if (s === undefined || (category !== undefined && s.category !== category)) return 0;
    const book = this.o.market.book(symbol);
    let n = 0;
    for (const [key, topic] of this.books) {
      if (topic.s !== s) continue;
      const frame = topic.reset(book, restart ? 1 : topic.u + 1, this.o.faults.now(), book.updateId);
      this.lastU.set(key, topic.u);
      for (const c of this.subs.get(key) ?? []) c.sendData(frame);
      n++;
    }
    return n;
  }

  /**
   * The bench feed's handle on the `orderbook.{depth}` topic of `s`: its subscribers' sockets, the `u` of its last
   * push (or of the snapshot a new topic would start with), and taking over after a run: the window becomes the truth's
   * top `depth` with the run's last `u`, so live deltas continue from there.
   */
  benchTopic(s: BybitSymbol, depth: number): { sockets(): Duplex[]; readonly u: number; adopt(u: number): void } {
    const key = `${s.category}|orderbook.${depth}.${s.id}`;
    const lastU = (): number => this.books.get(key)?.u ?? (this.lastU.get(key) ?? startU(s.id, depth)) + 1;
    return {
      sockets: () => [...(this.subs.get(key) ?? [])].filter((c) => c.open).map((c) => c.socket),
      get u() {
        return lastU();
      },
      adopt: (u) => {
        this.lastU.set(key, u);
        const topic = this.books.get(key);
        const book = this.o.market.book(s.instrument.symbol);
        if (topic !== undefined) topic.reset(book, u, this.o.faults.now(), book.updateId);
      },
    };
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.unlisten();
    for (const c of this.connections) c.drop('closing');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ------------------------------------------------------------------ requests

  private onClosed(c: BybitConnection): void {
    this.connections.delete(c);
    if (c.closeReason !== undefined) this.counts.closedByServer[c.closeReason] = (this.counts.closedByServer[c.closeReason] ?? 0) + 1;
    for (const t of c.topics) this.removeSub(`${c.category}|${t}`, c);
  }

  private onMessage(conn: BybitConnection, data: RawData, isBinary: boolean): void {
    conn.lastHeardAt = Date.now();
    let msg: Record<string, unknown> | undefined;
    try {
      const v = JSON.parse(isBinary ? '' : data.toString()) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) msg = v as Record<string, unknown>;
    } catch {
      msg = undefined;
    }
    if (msg === undefined) {
      conn.sendControl(JSON.stringify({ success: false, ret_msg: 'error:request not a json object', conn_id: conn.connId, op: '' }));
      return;
    }
    const op = typeof msg['op'] === 'string' ? msg['op'] : '';
    const reqId = typeof msg['req_id'] === 'string' ? msg['req_id'] : undefined;
    if (op === 'ping') {
      conn.sendControl(this.ack(conn, true, 'pong', reqId, 'ping'));
      return;
    }
    if (op !== 'subscribe' && op !== 'unsubscribe') {
      conn.sendControl(this.ack(conn, false, `error:unsupported op ${JSON.stringify(op)}`, reqId, op));
      return;
    }
    const args = Array.isArray(msg['args']) ? (msg['args'] as unknown[]) : [];
    const problem = this.checkArgs(conn, op, args);
    if (problem !== undefined) {
      conn.sendControl(this.ack(conn, false, problem, reqId, op));
      return;
    }
    const names = args as string[];
    // Spot acks with `ret_msg` "subscribe" (recorded), derivatives with "".
    conn.sendControl(this.ack(conn, true, conn.category === 'spot' ? op : '', reqId, op));
    for (const name of names) {
      if (op === 'subscribe') this.subscribe(conn, name, parseTopic(name, this.o.symbols.get(conn.category)) as Topic);
      else {
        conn.topics.delete(name);
        this.removeSub(`${conn.category}|${name}`, conn);
      }
    }
  }

  /** Bybit acks: spot `success,ret_msg,conn_id[,req_id],op`; derivatives always carry `req_id` ("" when not sent). */
  private ack(conn: BybitConnection, success: boolean, retMsg: string, reqId: string | undefined, op: string): string {
    const req = conn.category === 'spot' ? (reqId === undefined ? '' : `,"req_id":${JSON.stringify(reqId)}`) : `,"req_id":${JSON.stringify(reqId ?? '')}`;
    return `{"success":${success},"ret_msg":${JSON.stringify(retMsg)},"conn_id":"${conn.connId}"${req},"op":${JSON.stringify(op)}}`;
  }

  private checkArgs(conn: BybitConnection, op: string, args: unknown[]): string | undefined {
    if (args.length === 0) return 'error:args is empty';
    if (conn.category === 'spot' && args.length > this.o.spotArgsPerRequest) return `error:args size >${this.o.spotArgsPerRequest}`;
    for (const a of args) {
      if (typeof a !== 'string' || parseTopic(a, this.o.symbols.get(conn.category)) === undefined) return `error:handler not found,topic:${String(a)}`;
      if (op === 'subscribe' && conn.topics.has(a)) return `error:already subscribed,topic:${a}`;
    }
    return undefined;
  }

  private subscribe(conn: BybitConnection, name: string, topic: Topic): void {
    conn.topics.add(name);
    const key = `${conn.category}|${name}`;
    let set = this.subs.get(key);
    if (set === undefined) this.subs.set(key, (set = new Set()));
    set.add(conn);
    const now = this.o.faults.now();
    const symbol = topic.s.instrument.symbol;
    if (topic.kind === 'orderbook') {
      let book = this.books.get(key);
      const truth = this.o.market.book(symbol);
      if (book === undefined) {
        book = new BookTopic(topic.s, topic.depth, truth, (this.lastU.get(key) ?? startU(topic.s.id, topic.depth)) + 1);
        book.gapSeen = this.o.faults.gapGenerationOf(symbol, 'bybit', conn.category);
        book.lastPushAt = Date.now();
        this.books.set(key, book);
        this.lastU.set(key, book.u);
      }
      conn.sendData(book.snapshotFrame(now, truth.updateId));
    } else if (topic.kind === 'tickers') {
      let t = this.tickers.get(key);
      if (t === undefined) this.tickers.set(key, (t = { s: topic.s, values: undefined, dirty: false }));
      t.values ??= tickerValues(this.o.market, topic.s, now, this.direction(symbol));
      conn.sendData(tickerFrame(topic.s, 'snapshot', pick(t.values, wsTickerFields(topic.s)), this.o.market.book(symbol).updateId, now));
    } else if (topic.kind === 'kline') {
      this.pushKline(topic, [conn], now);
    }
  }

  private removeSub(key: string, conn: BybitConnection): void {
    const set = this.subs.get(key);
    if (set === undefined) return;
    set.delete(conn);
    if (set.size > 0) return;
    this.subs.delete(key);
    const book = this.books.get(key);
    if (book !== undefined) this.lastU.set(key, book.u);
    this.books.delete(key);
    this.tickers.delete(key);
    this.klineDirty.delete(key);
  }

  // ------------------------------------------------------------------ market → pushes

  private onBookChange(c: BookChange, book: L2Book): void {
    const s = this.byUnified.get(c.symbol);
    if (s === undefined) return;
    const now = this.o.faults.now();
    const cts = c.time + this.o.faults.clockSkewMs;
    for (const [key, topic] of this.books) {
      if (topic.s !== s) continue;
      const frame = topic.update(book, now, cts, c.lastId);
      if (frame === undefined) continue;
      this.lastU.set(key, topic.u);
      const gen = this.o.faults.gapGenerationOf(c.symbol, 'bybit', s.category);
      if (gen > topic.gapSeen && topic.depth > 1) {
        topic.gapSeen = gen;
        this.o.faults.noteGapApplied();
        continue;
      }
      for (const conn of this.subs.get(key) ?? []) conn.sendData(frame);
    }
    if (s.category !== 'spot') this.markTickers(s);
  }

  private onBookReplaced(symbol: string, book: L2Book): void {
    if (this.byUnified.has(symbol)) this.resnapshot(symbol, false);
    void book;
  }

  private onTrade(t: SimTrade): void {
    const s = this.byUnified.get(t.symbol);
    if (s === undefined) return;
    let list = this.pendingTrades.get(t.symbol);
    if (list === undefined) {
      this.pendingTrades.set(t.symbol, (list = []));
      // One taker's fills arrive synchronously: push them as one batch.
      queueMicrotask(() => this.flushTrades(s));
    }
    list.push(t);
  }

  private flushTrades(s: BybitSymbol): void {
    const symbol = s.instrument.symbol;
    const trades = this.pendingTrades.get(symbol) ?? [];
    this.pendingTrades.delete(symbol);
    const skew = this.o.faults.clockSkewMs;
    const seq = this.o.market.book(symbol).updateId;
    const items: string[] = [];
    for (const t of trades) {
      const prev = this.lastTrade.get(symbol);
      const direction = tickDirection(t.price, prev?.price, prev?.direction);
      this.lastTrade.set(symbol, { price: t.price, direction });
      items.push(tradeItem(s, t, t.time + skew, seq, direction));
    }
    const subs = this.subs.get(`${s.category}|publicTrade.${s.id}`);
    if (subs !== undefined && items.length > 0) {
      const frame = publicTradeFrame(s, this.o.faults.now(), items);
      for (const c of subs) c.sendData(frame);
    }
    this.markTickers(s);
    for (const interval of Object.keys(KLINE_INTERVALS)) {
      const key = `${s.category}|kline.${interval}.${s.id}`;
      if (this.subs.has(key)) this.klineDirty.add(key);
    }
  }

  private markTickers(s: BybitSymbol): void {
    const t = this.tickers.get(`${s.category}|tickers.${s.id}`);
    if (t !== undefined) t.dirty = true;
  }

  /** Ticker and kline pushes (Bybit pushes derivatives tickers every 100 ms), depth-1 resends, idle cuts. */
  private housekeeping(): void {
    const now = this.o.faults.now();
    for (const [key, t] of this.tickers) {
      if (!t.dirty) continue;
      t.dirty = false;
      const symbol = t.s.instrument.symbol;
      const fields = wsTickerFields(t.s);
      const values = tickerValues(this.o.market, t.s, now, this.direction(symbol));
      const cs = this.o.market.book(symbol).updateId;
      let frame: string | undefined;
      if (t.s.category === 'spot') frame = tickerFrame(t.s, 'snapshot', pick(values, fields), cs, now);
      else {
        const changed = fields.filter((f) => f !== 'symbol' && values[f] !== t.values?.[f]);
        if (changed.length > 0) frame = tickerFrame(t.s, 'delta', pick(values, ['symbol', ...changed]), cs, now);
      }
      t.values = values;
      if (frame !== undefined) for (const c of this.subs.get(key) ?? []) c.sendData(frame);
    }
    for (const key of this.klineDirty) {
      const name = key.slice(key.indexOf('|') + 1);
      const topic = parseTopic(name, this.o.symbols.get(key.slice(0, key.indexOf('|')) as BybitCategory));
      if (topic?.kind === 'kline') this.pushKline(topic, [...(this.subs.get(key) ?? [])], now);
    }
    this.klineDirty.clear();
    const wall = Date.now();
    for (const [key, book] of this.books) {
      // Level 1: with no change for 3 s the snapshot is resent with the same `u`.
      if (book.depth !== 1 || wall - book.lastPushAt < 3000) continue;
      book.lastPushAt = wall;
      const frame = book.snapshotFrame(now, this.o.market.book(book.s.instrument.symbol).updateId);
      for (const c of this.subs.get(key) ?? []) c.sendData(frame);
    }
    for (const c of this.connections) {
      if (wall - c.lastHeardAt > this.o.idleTimeoutMs) c.drop('idle');
    }
  }

  private pushKline(topic: Extract<Topic, { kind: 'kline' }>, to: readonly BybitConnection[], now: number): void {
    const skew = this.o.faults.clockSkewMs;
    const c = this.o.market.tape(topic.s.instrument.symbol).currentCandle(topic.ms, now - skew);
    if (c === undefined) return;
    const frame = klineFrame(`kline.${topic.interval}.${topic.s.id}`, wsCandle(topic.s, { ...c, openTime: c.openTime + skew, closeTime: c.closeTime + skew }, topic.interval, now), now);
    for (const conn of to) conn.sendData(frame);
  }
}

/** Parses `orderbook.{depth}.{id}`, `publicTrade.{id}`, `tickers.{id}`, `kline.{interval}.{id}` against a category's symbols. */
export function parseTopic(name: string, symbols: ReadonlyMap<string, BybitSymbol> | undefined): Topic | undefined {
  const parts = name.split('.');
  const s = symbols?.get(parts[parts.length - 1] ?? '');
  if (s === undefined) return undefined;
  if (parts[0] === 'orderbook' && parts.length === 3) {
    const depth = Number(parts[1]);
    return bookDepths(s.category === 'spot').includes(depth) ? { kind: 'orderbook', s, depth } : undefined;
  }
  if (parts[0] === 'publicTrade' && parts.length === 2) return { kind: 'publicTrade', s };
  if (parts[0] === 'tickers' && parts.length === 2) return { kind: 'tickers', s };
  if (parts[0] === 'kline' && parts.length === 3) {
    const ms = KLINE_INTERVALS[parts[1] as string];
    return ms === undefined ? undefined : { kind: 'kline', s, interval: parts[1] as string, ms };
  }
  return undefined;
}

function pick(values: Record<string, string>, fields: readonly string[]): Array<[string, string]> {
  return fields.map((f) => [f, values[f] ?? '']);
}

/** A per-topic starting `u` that looks lived-in (deterministic per symbol and depth). */
function startU(id: string, depth: number): number {
  let h = depth;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) >>> 0;
  return 1_000_000 + (h % 50_000_000);
}
