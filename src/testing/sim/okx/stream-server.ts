/**
 * The OKX front end's WebSocket side: `/ws/v5/public` (books, books5, bbo-tbt, trades, tickers),
 * `/ws/v5/business` (candle channels) and `/ws/v5/private` (login and account channels, `private-stream.ts`;
 * login refused when no trading engine is attached). Text `ping` → `pong`, subscribe / unsubscribe acks and
 * errors, and the market published as OKX pushes.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { SimFaults } from '../faults.js';
import type { BookChange, Market, SimTrade } from '../market.js';
import { InstrumentFeed, type BooksPush } from './books-feed.js';
import { candleRows, OKX_BARS, tickerFields } from './market-bodies.js';
import type { OkxPrivateStreams } from './private-stream.js';
import { OKX_CLOSE, OkxConnection, type OkxConnectionRules, type OkxStreamPath } from './stream-connection.js';
import { ackFrame, bboFrame, books5Frame, candleFrame, errorFrame, tickerFrame, tradeFrame, upgradeNoticeFrame, wrongChannelMessage, type OkxInstrument } from './wire-format.js';

export interface OkxStreamOptions extends Omit<OkxConnectionRules, 'delayMs'> {
  readonly market: Market;
  readonly faults: SimFaults;
  readonly instruments: readonly OkxInstrument[];
  /** `books` push period (OKX: 100 ms). */
  readonly booksIntervalMs: number;
  /** A no-change `books` heartbeat after this long (OKX: about 60 s). */
  readonly heartbeatMs: number;
  /** Real CRC32 checksums (default off: production sends 0 since 2026-06-23). */
  readonly checksums: boolean;
  /** The announced 2026 behaviour: no initial `books` snapshot; clients take REST `/market/books` with `seqId`. */
  readonly noInitialSnapshot: boolean;
  /** The private URL's login and account channels (absent: login is refused with 60009). */
  readonly privateStreams?: OkxPrivateStreams | undefined;
}

const PUBLIC_CHANNELS = new Set(['books', 'books5', 'bbo-tbt', 'trades', 'tickers']);
const CANDLE_PERIOD_MS = 500;

export class OkxStreamServer {
  readonly connections = new Set<OkxConnection>();
  readonly counts = { accepted: 0, closedByServer: {} as Record<string, number> };
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
  /** Subscribers by `channel:instId`. */
  private readonly subs = new Map<string, Set<OkxConnection>>();
  private readonly byId: ReadonlyMap<string, OkxInstrument>;
  private readonly bySymbol: ReadonlyMap<string, OkxInstrument>;
  private readonly feeds = new Map<string, InstrumentFeed>();
  private readonly lastSent = new Map<string, string>();
  private readonly candleOpen = new Map<string, string>();
  private readonly timers: Array<ReturnType<typeof setInterval>>;
  private readonly unlisten: () => void;

  constructor(private readonly o: OkxStreamOptions) {
    this.byId = new Map(o.instruments.map((w) => [w.instId, w]));
    this.bySymbol = new Map(o.instruments.map((w) => [w.instrument.symbol, w]));
    this.unlisten = o.market.listen({
      bookChange: (c) => this.onBookChange(c),
      trade: (t) => this.onTrade(t),
      bookReplaced: (symbol) => this.onBookReplaced(symbol),
    });
    this.timers = [setInterval(() => this.flushBooks(), o.booksIntervalMs), setInterval(() => this.pushCandles(), CANDLE_PERIOD_MS)];
  }

  get subscriptionCount(): number {
    let n = 0;
    for (const c of this.connections) n += c.subs.size;
    return n;
  }

  /** The sequence / window state of an instrument (created on first use). */
  feed(w: OkxInstrument): InstrumentFeed {
    let f = this.feeds.get(w.instId);
    if (f === undefined) {
      // A per-instrument start in the tens of billions, like OKX's seqIds, stable for a seed.
      const start = 10_000_000_000 + ((this.o.market.book(w.instrument.symbol).updateId * 7919) % 1_000_000_000) * 10;
      f = new InstrumentFeed(w, start, this.o.faults.gapGenerationOf(w.instrument.symbol, 'okx', 'v5'), this.o.checksums);
      this.feeds.set(w.instId, f);
    }
    return f;
  }

  /** The `books` window for REST, brought up to the truth first (pushing that update to subscribers). */
  restSnapshot(w: OkxInstrument, depth: number): ReturnType<InstrumentFeed['top']> {
    const f = this.feed(w);
    const book = this.o.market.book(w.instrument.symbol);
    if (!f.hasWindow) f.snapshot(book);
    else if (f.dirty) this.pushBooks(f);
    return f.top(depth);
  }

  /**
   * The bench feed's handle on the `books` channel of `w`: its subscribers' sockets, whether checksums are on,
   * the feed's window and sequence ids, `touch()` (raw writes count as pushed data for the idle rule and the
   * heartbeat clock) and taking over after a run (the window becomes the truth's top 400 with the last `seqId`).
   */
  benchBooks(w: OkxInstrument): { sockets(): Duplex[]; readonly checksums: boolean; readonly feed: InstrumentFeed; touch(): void; adopt(seqId: number): void } {
    const key = `books:${w.instId}`;
    const f = this.feed(w);
    const conns = (): OkxConnection[] => [...(this.subs.get(key) ?? [])].filter((c) => c.open);
    return {
      sockets: () => conns().map((c) => c.socket),
      checksums: this.o.checksums,
      feed: f,
      touch: () => {
        f.lastPushAt = Date.now();
        for (const c of conns()) c.touch();
      },
      adopt: (seqId) => f.adopt(this.o.market.book(w.instrument.symbol), seqId),
    };
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: OkxStreamPath): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, path));
  }

  /** Sends every instrument's pending `books` update now (and heartbeats that are due). */
  flushBooks(): void {
    const now = Date.now();
    for (const f of this.feeds.values()) {
      if (!this.subs.has(`books:${f.w.instId}`)) continue;
      if (f.dirty) this.pushBooks(f);
      else if (now - f.lastPushAt >= this.o.heartbeatMs) this.sendBooks(f, f.heartbeat());
    }
    this.pushPeriodic();
  }

  dropAll(): number {
    const n = this.connections.size;
    for (const c of [...this.connections]) c.drop();
    return n;
  }

  /** Cuts every `/ws/v5/private` connection without a close frame. Returns how many. */
  dropPrivate(): number {
    const conns = [...this.connections].filter((c) => c.path === 'private');
    for (const c of conns) c.drop('drop-private');
    return conns.length;
  }

  stallAll(ms: number): number {
    for (const c of this.connections) c.stall(ms);
    return this.connections.size;
  }

  shutdownNotice(closeAfterMs?: number): number {
    for (const c of this.connections) {
      c.sendControl(upgradeNoticeFrame(c.connId));
      if (closeAfterMs !== undefined) c.close(OKX_CLOSE.goingAway, 'Service upgrade', 'server-shutdown', Math.max(1, closeAfterMs));
    }
    return this.connections.size;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.unlisten();
    for (const c of this.connections) c.drop('closing');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ------------------------------------------------------------------ connections and requests

  private accept(ws: WebSocket, socket: Duplex, path: OkxStreamPath): void {
    const conn = new OkxConnection(ws, socket, path, { ...this.o, delayMs: () => this.o.faults.delayMs }, (c) => this.onClosed(c));
    this.connections.add(conn);
    this.counts.accepted++;
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
  }

  private onClosed(c: OkxConnection): void {
    this.connections.delete(c);
    this.o.privateStreams?.closed(c);
    if (c.closeReason !== undefined) this.counts.closedByServer[c.closeReason] = (this.counts.closedByServer[c.closeReason] ?? 0) + 1;
    for (const key of c.subs) this.subs.get(key)?.delete(c);
    for (const key of c.subs) if (this.subs.get(key)?.size === 0) this.subs.delete(key);
  }

  private onMessage(conn: OkxConnection, data: RawData, isBinary: boolean): void {
    conn.touch();
    const text = isBinary ? '' : data.toString();
    if (text === 'ping') {
      conn.sendControl('pong');
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = undefined;
    }
    const req = typeof msg === 'object' && msg !== null && !Array.isArray(msg) ? (msg as Record<string, unknown>) : undefined;
    const id = typeof req?.['id'] === 'string' ? req['id'] : undefined;
    const op = req?.['op'];
    const args = req?.['args'];
    if (req === undefined || (op !== 'subscribe' && op !== 'unsubscribe' && op !== 'login') || !Array.isArray(args) || args.length === 0) {
      conn.sendControl(errorFrame('60012', `Invalid request: ${text}`, conn.connId, id));
      return;
    }
    if (!conn.countRequest()) {
      conn.sendControl(errorFrame('60014', 'Requests too frequent', conn.connId, id));
      return;
    }
    const priv = conn.path === 'private' ? this.o.privateStreams : undefined;
    if (priv !== undefined) {
      if (op === 'login') priv.login(conn, args, id);
      else priv.subscribe(conn, op, args, id, text);
      return;
    }
    if (op === 'login') {
      conn.sendControl(errorFrame('60009', 'Login failed.', conn.connId, id));
      return;
    }
    for (const a of args) {
      const arg = typeof a === 'object' && a !== null && !Array.isArray(a) ? (a as Record<string, unknown>) : undefined;
      const channel = arg?.['channel'];
      if (arg === undefined || typeof channel !== 'string') {
        conn.sendControl(errorFrame('60012', `Invalid request: ${text}`, conn.connId, id));
        continue;
      }
      const instId = typeof arg['instId'] === 'string' ? arg['instId'] : undefined;
      if (conn.path === 'private') {
        conn.sendControl(PUBLIC_CHANNELS.has(channel) || channel.startsWith('candle') ? errorFrame('60018', wrongChannelMessage(channel, instId), conn.connId, id) : errorFrame('60011', 'Please log in', conn.connId, id));
        continue;
      }
      const w = instId === undefined ? undefined : this.byId.get(instId);
      if (w === undefined || !this.servesChannel(conn.path, channel)) {
        conn.sendControl(errorFrame('60018', wrongChannelMessage(channel, instId), conn.connId, id));
        continue;
      }
      const ackArg = { channel, instId: w.instId };
      if (op === 'subscribe') this.subscribe(conn, channel, w, ackArg, id);
      else this.unsubscribe(conn, channel, w, ackArg, id);
    }
  }

  private servesChannel(path: OkxStreamPath, channel: string): boolean {
    if (path === 'public') return PUBLIC_CHANNELS.has(channel);
    return path === 'business' && channel.startsWith('candle') && OKX_BARS[channel.slice('candle'.length)] !== undefined;
  }

  private subscribe(conn: OkxConnection, channel: string, w: OkxInstrument, ackArg: Record<string, string>, id: string | undefined): void {
    const key = `${channel}:${w.instId}`;
    conn.sendControl(ackFrame('subscribe', ackArg, conn.connId, id));
    if (conn.subs.has(key)) return;
    conn.subs.add(key);
    let set = this.subs.get(key);
    if (set === undefined) {
      set = new Set();
      this.subs.set(key, set);
    }
    set.add(conn);
    this.sendInitial(conn, channel, w);
  }

  private unsubscribe(conn: OkxConnection, channel: string, w: OkxInstrument, ackArg: Record<string, string>, id: string | undefined): void {
    const key = `${channel}:${w.instId}`;
    conn.sendControl(ackFrame('unsubscribe', ackArg, conn.connId, id));
    if (!conn.subs.delete(key)) return;
    const set = this.subs.get(key);
    set?.delete(conn);
    if (set?.size === 0) this.subs.delete(key);
  }

  /** What a new subscriber gets at once: the `books` snapshot (unless disabled), books5 / bbo / ticker state. */
  private sendInitial(conn: OkxConnection, channel: string, w: OkxInstrument): void {
    const book = this.o.market.book(w.instrument.symbol);
    const now = this.o.faults.now();
    const f = this.feed(w);
    switch (channel) {
      case 'books':
        if (!f.hasWindow) f.snapshot(book);
        if (!this.o.noInitialSnapshot) conn.sendData(f.frame(f.snapshot(book), now));
        return;
      case 'books5':
        conn.sendData(books5Frame(w, book.bids.top(5), book.asks.top(5), now, f.currentSeq));
        return;
      case 'bbo-tbt':
        conn.sendData(bboFrame(w, book.bids.top(1)[0], book.asks.top(1)[0], now, f.currentSeq));
        return;
      case 'tickers':
        if (this.o.market.tape(w.instrument.symbol).lastTrade !== undefined) conn.sendData(tickerFrame(w, tickerFields(this.o.market, w, now, this.o.faults.clockSkewMs)));
        return;
      default:
        return;
    }
  }

  // ------------------------------------------------------------------ publishing

  private publish(key: string, text: string): void {
    const set = this.subs.get(key);
    if (set === undefined) return;
    for (const c of set) c.sendData(text);
  }

  /** Advances an instrument's window and sends the update unless a gap fault swallows it. */
  private pushBooks(f: InstrumentFeed): void {
    const push = f.advance(this.o.market.book(f.w.instrument.symbol));
    if (push === undefined) return;
    const gen = this.o.faults.gapGenerationOf(f.w.instrument.symbol, 'okx', 'v5');
    if (gen > f.gapSeen) {
      f.gapSeen = gen;
      this.o.faults.noteGapApplied();
      return;
    }
    this.sendBooks(f, push);
  }

  private sendBooks(f: InstrumentFeed, push: BooksPush | undefined): void {
    if (push !== undefined) this.publish(`books:${f.w.instId}`, f.frame(push, this.o.faults.now()));
  }

  private onBookChange(c: BookChange): void {
    const w = this.bySymbol.get(c.symbol);
    if (w === undefined) return;
    const f = this.feeds.get(w.instId);
    if (f === undefined) return;
    f.dirty = true;
    f.nextSeq();
    const key = `bbo-tbt:${w.instId}`;
    if (!this.subs.has(key)) return;
    const book = this.o.market.book(c.symbol);
    const bid = book.bids.top(1)[0];
    const ask = book.asks.top(1)[0];
    const top = `${bid?.[0]}/${bid?.[1]}/${ask?.[0]}/${ask?.[1]}`;
    if (this.lastSent.get(key) === top) return;
    this.lastSent.set(key, top);
    this.publish(key, bboFrame(w, bid, ask, this.o.faults.now(), f.currentSeq));
  }

  private onTrade(t: SimTrade): void {
    const w = this.bySymbol.get(t.symbol);
    if (w === undefined) return;
    const key = `trades:${w.instId}`;
    const seqId = this.feed(w).nextSeq();
    if (this.subs.has(key)) this.publish(key, tradeFrame(w, t, t.time + this.o.faults.clockSkewMs, seqId));
  }

  private onBookReplaced(symbol: string): void {
    const w = this.bySymbol.get(symbol);
    const f = w === undefined ? undefined : this.feeds.get(w.instId);
    if (f !== undefined) f.dirty = true;
  }

  /** books5 and tickers: at most one push per period, only when something changed. */
  private pushPeriodic(): void {
    const now = this.o.faults.now();
    for (const key of this.subs.keys()) {
      const [channel, instId] = key.split(':') as [string, string];
      if (channel !== 'books5' && channel !== 'tickers') continue;
      const w = this.byId.get(instId) as OkxInstrument;
      const book = this.o.market.book(w.instrument.symbol);
      if (channel === 'books5') {
        const bids = book.bids.top(5);
        const asks = book.asks.top(5);
        const state = JSON.stringify([bids, asks]);
        if (this.lastSent.get(key) === state) continue;
        this.lastSent.set(key, state);
        this.publish(key, books5Frame(w, bids, asks, now, this.feed(w).currentSeq));
        continue;
      }
      const tape = this.o.market.tape(w.instrument.symbol);
      if (tape.lastTrade === undefined) continue;
      const state = `${tape.lastTrade.id}/${JSON.stringify(book.bids.top(1))}/${JSON.stringify(book.asks.top(1))}`;
      if (this.lastSent.get(key) === state) continue;
      this.lastSent.set(key, state);
      this.publish(key, tickerFrame(w, tickerFields(this.o.market, w, now, this.o.faults.clockSkewMs)));
    }
  }

  /** Candle channels: the current candle every period; a candle that just closed once more with `confirm` "1". */
  private pushCandles(): void {
    const now = this.o.faults.now();
    const skew = this.o.faults.clockSkewMs;
    for (const key of this.subs.keys()) {
      if (!key.startsWith('candle')) continue;
      const [channel, instId] = key.split(':') as [string, string];
      const w = this.byId.get(instId) as OkxInstrument;
      const bar = OKX_BARS[channel.slice('candle'.length)] as readonly [number, number];
      const [current, previous] = candleRows(this.o.market, w, bar, now, skew, 2);
      if (current === undefined) continue;
      const open = this.candleOpen.get(key);
      if (open !== undefined && open !== current[0] && previous !== undefined && previous[0] === open) this.publish(key, candleFrame(w, channel, previous));
      this.candleOpen.set(key, current[0] as string);
      this.publish(key, candleFrame(w, channel, current));
    }
  }
}

