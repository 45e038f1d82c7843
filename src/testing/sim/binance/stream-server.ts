/**
 * The Binance front end's market streams: accepts WebSocket connections on any path (`/ws/...`,
 * `/stream?streams=...`, USD-M `/public` and `/market` roots), handles SUBSCRIBE / UNSUBSCRIBE /
 * LIST_SUBSCRIPTIONS / SET_PROPERTY / GET_PROPERTY, and publishes market changes as Binance frames.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { SimFaults } from '../faults.js';
import type { BookChange, Market, SimTrade } from '../market.js';
import type { L2Book } from '../book-engine.js';
import { INTERVAL_MS } from '../trade-tape.js';
import { CLOSE_CODES, StreamConnection, type ConnectionRules } from './stream-connection.js';
import { parseStreamName, parseStreamPath, rootServes, streamRoot, type StreamRoot, type StreamSpec } from './stream-names.js';
import { aggTradeFrame, bookTickerFrame, depthUpdateFrame, klineFrame, miniTickerFrame, partialDepthFrame, serverShutdownFrame, tickerFrame, tradeFrame, type BinanceSegment, type WireSymbol } from './wire-format.js';

export interface StreamServerOptions extends Omit<ConnectionRules, 'delayMs'> {
  readonly segment: BinanceSegment;
  readonly market: Market;
  readonly faults: SimFaults;
  /** This segment's symbols by lowercase id. */
  readonly symbols: ReadonlyMap<string, WireSymbol>;
  /** USD-M only: serve every stream on paths without `/public` or `/market` (pre-2026 URLs). */
  readonly legacyUsdmPaths: boolean;
  readonly maxStreamsPerConnection?: number;
}

/** Where a bench feed may write pre-framed diff-depth frames for one symbol. */
export interface RawDepthTarget {
  readonly socket: Duplex;
  readonly stream: string;
  readonly combined: boolean;
}

/** A diff-depth aggregate: the changes of one symbol over one push period. */
interface DepthAggregate {
  readonly w: WireSymbol;
  readonly intervalMs: number;
  readonly names: Set<string>;
  firstId: number | undefined;
  lastId: number;
  prevSentId: number;
  gapSeen: number;
  readonly bids: Map<number, number>;
  readonly asks: Map<number, number>;
}

const BASE_TICK_MS = 50;

export class BinanceStreamServer {
  readonly connections = new Set<StreamConnection>();
  /** Connections ever accepted, and why the server closed any. */
  readonly counts = { accepted: 0, closedByServer: {} as Record<string, number> };
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
  private readonly subs = new Map<string, Set<StreamConnection>>();
  private readonly specs = new Map<string, StreamSpec>();
  private readonly aggregates = new Map<string, DepthAggregate>();
  private readonly byUnified = new Map<string, WireSymbol>();
  private readonly lastTop = new Map<string, string>();
  private readonly klineOpen = new Map<string, number>();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly unlisten: () => void;
  private ticks = 0;

  constructor(private readonly o: StreamServerOptions) {
    for (const w of o.symbols.values()) this.byUnified.set(w.instrument.symbol, w);
    this.unlisten = o.market.listen({
      bookChange: (c, book) => this.onBookChange(c, book),
      trade: (t) => this.onTrade(t),
      bookReplaced: (symbol, book) => this.onBookReplaced(symbol, book),
    });
    this.timer = setInterval(() => this.onTick(), BASE_TICK_MS);
  }

  /** Number of (connection, stream) subscriptions. */
  get subscriptionCount(): number {
    let n = 0;
    for (const c of this.connections) n += c.streams.size;
    return n;
  }

  /** Accepts an HTTP upgrade for a market-stream path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const { combined, streams, segments } = parseStreamPath(url);
    const root = streamRoot(this.o.segment, segments);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, root, combined, streams));
  }

  /** Diff-depth subscribers of a symbol (lowercase id), for the bench feed's raw writes. */
  rawDepthTargets(lower: string): RawDepthTarget[] {
    const out: RawDepthTarget[] = [];
    for (const [name, conns] of this.subs) {
      const spec = this.specs.get(name);
      if (spec?.kind !== 'depth' || spec.symbol !== lower) continue;
      for (const c of conns) if (c.open) out.push({ socket: c.socket, stream: name, combined: c.combined });
    }
    return out;
  }

  /** Sends the pending diff-depth aggregates of a symbol now (before the bench feed takes over the stream). */
  flushSymbol(lower: string): void {
    for (const agg of this.aggregates.values()) if (agg.w.lower === lower) this.flushDepth(agg);
  }

  dropAll(): number {
    const n = this.connections.size;
    for (const c of [...this.connections]) c.drop();
    return n;
  }

  stallAll(ms: number): number {
    for (const c of this.connections) c.stall(ms);
    return this.connections.size;
  }

  shutdownNotice(closeAfterMs?: number): number {
    const now = this.o.faults.now();
    for (const c of this.connections) {
      c.sendControl(serverShutdownFrame(now, c.combined));
      if (closeAfterMs !== undefined) c.close(CLOSE_CODES.goingAway, 'Server shutdown', 'server-shutdown', Math.max(1, closeAfterMs));
    }
    return this.connections.size;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.unlisten();
    for (const c of this.connections) c.drop('closing');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ------------------------------------------------------------------ connections and control messages

  private accept(ws: WebSocket, socket: Duplex, root: StreamRoot, combined: boolean, initial: string[]): void {
    const conn = new StreamConnection(ws, socket, root, combined, { ...this.o, delayMs: () => this.o.faults.delayMs }, (c) => this.onClosed(c));
    this.connections.add(conn);
    this.counts.accepted++;
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    const names = initial.filter((n) => n.includes('@'));
    if (names.length > 0) {
      const problem = this.subscribe(conn, names);
      if (problem !== undefined) conn.sendControl(JSON.stringify({ error: { code: 2, msg: problem }, id: null }));
    }
  }

  private onClosed(c: StreamConnection): void {
    this.connections.delete(c);
    if (c.closeReason !== undefined) this.counts.closedByServer[c.closeReason] = (this.counts.closedByServer[c.closeReason] ?? 0) + 1;
    for (const name of c.streams) this.removeSub(name, c);
  }

  private onMessage(conn: StreamConnection, data: RawData, isBinary: boolean): void {
    if (!conn.countIncoming()) return;
    const text = isBinary ? '' : data.toString();
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      conn.sendControl(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null }));
      return;
    }
    const reply = (body: Record<string, unknown>): void => conn.sendControl(JSON.stringify(body));
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      reply({ error: { code: 2, msg: 'Invalid request: expected a JSON object' }, id: null });
      return;
    }
    const req = msg as Record<string, unknown>;
    const id = req['id'];
    if (!((typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) || typeof id === 'string' || id === null)) {
      reply({ error: { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' }, id: null });
      return;
    }
    const method = req['method'];
    if (typeof method !== 'string') {
      reply({ error: { code: 2, msg: `Invalid request: missing field \`method\` at line 1 column ${text.length}` }, id });
      return;
    }
    const params = req['params'];
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        if (!Array.isArray(params) || !params.every((p) => typeof p === 'string')) {
          reply({ error: { code: 2, msg: 'Invalid request: params must be a list of stream names' }, id });
          return;
        }
        const problem = method === 'SUBSCRIBE' ? this.subscribe(conn, params as string[]) : this.unsubscribe(conn, params as string[]);
        reply(problem === undefined ? { result: null, id } : { error: { code: 2, msg: problem }, id });
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        reply({ result: [...conn.streams], id });
        return;
      case 'SET_PROPERTY': {
        if (!Array.isArray(params) || params.length !== 2) {
          reply({ error: { code: 2, msg: 'Invalid request: too many parameters' }, id });
          return;
        }
        if (typeof params[0] !== 'string') reply({ error: { code: 2, msg: 'Invalid request: property name must be a string' }, id });
        else if (params[0] !== 'combined') reply({ error: { code: 0, msg: 'Unknown property' }, id });
        else if (typeof params[1] !== 'boolean') reply({ error: { code: 1, msg: 'Invalid value type: expected Boolean' }, id });
        else {
          conn.combined = params[1];
          reply({ result: null, id });
        }
        return;
      }
      case 'GET_PROPERTY': {
        if (!Array.isArray(params) || typeof params[0] !== 'string') reply({ error: { code: 2, msg: 'Invalid request: property name must be a string' }, id });
        else if (params[0] !== 'combined') reply({ error: { code: 0, msg: 'Unknown property' }, id });
        else reply({ result: conn.combined, id });
        return;
      }
      default:
        reply({ error: { code: 2, msg: `Invalid request: unknown variant ${method}, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\` at line 1 column 28` }, id });
    }
  }

  /** Subscribes all or nothing; returns the error message when a name is invalid or on the wrong root. */
  private subscribe(conn: StreamConnection, names: string[]): string | undefined {
    const specs: StreamSpec[] = [];
    for (const name of names) {
      const spec = parseStreamName(name, this.o.segment);
      if (spec === undefined) return `Invalid request: unknown stream ${JSON.stringify(name)}`;
      if (!rootServes(conn.root, spec.kind, this.o.legacyUsdmPaths)) return `Invalid request: stream ${JSON.stringify(name)} is not served on the /${conn.root} root`;
      specs.push(spec);
    }
    const fresh = specs.filter((s) => !conn.streams.has(s.name));
    if (conn.streams.size + fresh.length > (this.o.maxStreamsPerConnection ?? 1024)) return 'Invalid request: too many streams on this connection';
    for (const spec of fresh) {
      conn.streams.add(spec.name);
      this.specs.set(spec.name, spec);
      let set = this.subs.get(spec.name);
      if (set === undefined) {
        set = new Set();
        this.subs.set(spec.name, set);
        this.onFirstSubscriber(spec);
      }
      set.add(conn);
    }
    return undefined;
  }

  private unsubscribe(conn: StreamConnection, names: string[]): string | undefined {
    for (const name of names) {
      if (!conn.streams.delete(name)) continue;
      this.removeSub(name, conn);
    }
    return undefined;
  }

  private removeSub(name: string, conn: StreamConnection): void {
    const set = this.subs.get(name);
    if (set === undefined) return;
    set.delete(conn);
    if (set.size > 0) return;
    this.subs.delete(name);
    const spec = this.specs.get(name);
    if (spec?.kind === 'depth') {
      const key = `${spec.symbol}@${spec.intervalMs}`;
      const agg = this.aggregates.get(key);
      agg?.names.delete(name);
      if (agg !== undefined && agg.names.size === 0) this.aggregates.delete(key);
    }
  }

  private onFirstSubscriber(spec: StreamSpec): void {
    const w = this.o.symbols.get(spec.symbol);
    if (w === undefined || spec.kind !== 'depth') return;
    const key = `${spec.symbol}@${spec.intervalMs}`;
    let agg = this.aggregates.get(key);
    if (agg === undefined) {
      const book = this.o.market.book(w.instrument.symbol);
      agg = { w, intervalMs: spec.intervalMs, names: new Set(), firstId: undefined, lastId: book.updateId, prevSentId: book.updateId, gapSeen: this.o.faults.gapGenerationOf(w.instrument.symbol, 'binance', this.o.segment), bids: new Map(), asks: new Map() };
      this.aggregates.set(key, agg);
    }
    agg.names.add(spec.name);
  }

  // ------------------------------------------------------------------ publishing

  /** Sends one frame to every subscriber of `name`, wrapped for combined connections. */
  private publish(name: string, data: string): void {
    const set = this.subs.get(name);
    if (set === undefined) return;
    let wrapped: string | undefined;
    for (const c of set) {
      if (c.combined) c.sendData((wrapped ??= `{"stream":"${name}","data":${data}}`));
      else c.sendData(data);
    }
  }

  private onBookChange(c: BookChange, book: L2Book): void {
    const w = this.byUnified.get(c.symbol);
    if (w === undefined) return;
    for (const agg of this.aggregates.values()) {
      if (agg.w !== w) continue;
      agg.firstId ??= c.firstId;
      agg.lastId = c.lastId;
      for (const [p, q] of c.bids) agg.bids.set(p, q);
      for (const [p, q] of c.asks) agg.asks.set(p, q);
    }
    const name = `${w.lower}@bookTicker`;
    if (this.subs.has(name)) {
      const bid = book.bids.top(1)[0];
      const ask = book.asks.top(1)[0];
      if (bid === undefined || ask === undefined) return;
      const top = `${bid[0]}/${bid[1]}/${ask[0]}/${ask[1]}`;
      if (this.lastTop.get(name) === top) return;
      this.lastTop.set(name, top);
      this.publish(name, bookTickerFrame(w, book.updateId, bid, ask, this.o.faults.now()));
    }
  }

  private onTrade(t: SimTrade): void {
    const w = this.byUnified.get(t.symbol);
    if (w === undefined) return;
    const now = this.o.faults.now();
    const tradeTime = t.time + this.o.faults.clockSkewMs;
    if (this.subs.has(`${w.lower}@trade`)) this.publish(`${w.lower}@trade`, tradeFrame(w, t, now, tradeTime));
    if (this.subs.has(`${w.lower}@aggTrade`)) this.publish(`${w.lower}@aggTrade`, aggTradeFrame(w, t, t.id, now, tradeTime));
  }

  private onBookReplaced(symbol: string, book: L2Book): void {
    const w = this.byUnified.get(symbol);
    if (w === undefined) return;
    for (const agg of this.aggregates.values()) {
      if (agg.w !== w) continue;
      agg.firstId = undefined;
      agg.bids.clear();
      agg.asks.clear();
      agg.lastId = book.updateId;
      agg.prevSentId = book.updateId;
    }
  }

  private onTick(): void {
    this.ticks++;
    const elapsed = this.ticks * BASE_TICK_MS;
    for (const agg of this.aggregates.values()) if (elapsed % agg.intervalMs === 0) this.flushDepth(agg);
    for (const [name] of this.subs) {
      const spec = this.specs.get(name);
      if (spec === undefined || spec.intervalMs === 0 || spec.kind === 'depth' || elapsed % spec.intervalMs !== 0) continue;
      const w = this.o.symbols.get(spec.symbol);
      if (w !== undefined) this.pushPeriodic(spec, w);
    }
  }

  private flushDepth(agg: DepthAggregate): void {
    if (agg.firstId === undefined) return;
    const now = this.o.faults.now();
    const data = depthUpdateFrame(agg.w, {
      eventTime: now,
      txTime: now - 1,
      firstId: agg.firstId,
      lastId: agg.lastId,
      prevId: agg.prevSentId,
      bids: [...agg.bids].sort((a, b) => b[0] - a[0]),
      asks: [...agg.asks].sort((a, b) => a[0] - b[0]),
    });
    agg.prevSentId = agg.lastId;
    agg.firstId = undefined;
    agg.bids.clear();
    agg.asks.clear();
    const gen = this.o.faults.gapGenerationOf(agg.w.instrument.symbol, 'binance', this.o.segment);
    if (gen > agg.gapSeen) {
      agg.gapSeen = gen;
      this.o.faults.noteGapApplied();
      return;
    }
    for (const name of agg.names) this.publish(name, data);
  }

  private pushPeriodic(spec: StreamSpec, w: WireSymbol): void {
    const market = this.o.market;
    const symbol = w.instrument.symbol;
    const now = this.o.faults.now();
    const skew = this.o.faults.clockSkewMs;
    switch (spec.kind) {
      case 'partial': {
        const book = market.book(symbol);
        const id = book.updateId;
        this.publish(spec.name, partialDepthFrame(w, { eventTime: now, txTime: now - 1, firstId: id, lastId: id, prevId: id, bids: book.bids.top(spec.levels), asks: book.asks.top(spec.levels) }));
        return;
      }
      case 'ticker':
      case 'miniTicker': {
        const stats = market.tape(symbol).stats(now - skew);
        if (stats === undefined) return;
        const book = market.book(symbol);
        this.publish(spec.name, spec.kind === 'ticker' ? tickerFrame(w, stats, book.bids.top(1)[0], book.asks.top(1)[0], now, skew) : miniTickerFrame(w, stats, now));
        return;
      }
      case 'kline': {
        const interval = spec.klineInterval as string;
        const ms = INTERVAL_MS[interval] as number;
        const tape = market.tape(symbol);
        const current = tape.currentCandle(ms, now - skew);
        if (current === undefined) return;
        const prevOpen = this.klineOpen.get(spec.name);
        if (prevOpen !== undefined && prevOpen < current.openTime) {
          // The previous candle just closed: send it once more, final.
          const closed = tape.candles(ms, now - skew, 1, prevOpen, prevOpen)[0];
          if (closed !== undefined) this.publish(spec.name, klineFrame(w, interval, closed, true, now, skew));
        }
        this.klineOpen.set(spec.name, current.openTime);
        this.publish(spec.name, klineFrame(w, interval, current, false, now, skew));
        return;
      }
      default:
        return;
    }
  }
}
