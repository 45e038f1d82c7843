/**
 * The Bybit v5 front end of the simulator: one HTTP + WebSocket server on 127.0.0.1 serving REST market data and
 * signed trading for every category, the public streams `/v5/public/{spot,linear,inverse}` and `/v5/private`;
 * fault targets per category, order-ack faults and the Bybit-specific faults (`u == 1` restart, re-snapshot).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { VenueError } from '../../../core/errors.js';
import type { SimFaults } from '../faults.js';
import type { FaultRequest, ListedSymbol, SimFrontEnd, SimFrontEndCounters } from '../front-end.js';
import type { Market } from '../market.js';
import { SimTradingEngine } from '../trading/engine.js';
import { garbledBody, TradingFaults, type AckFault } from '../trading/trading-faults.js';
import { BybitLinkIds } from './order-bodies.js';
import { BybitPrivateStreams } from './private-stream.js';
import { BybitRateLimiter, type BybitRateLimitOptions } from './rate-limits.js';
import { BybitRestApi } from './rest-api.js';
import { BybitStreamServer } from './stream-server.js';
import { BybitTradingRest } from './trading-rest.js';
import { BYBIT_CATEGORIES, bybitSymbol, type BybitCategory, type BybitSymbol } from './wire-format.js';

/** Bybit settings a simulator user may change. */
export interface BybitOptions {
  readonly rateLimits?: BybitRateLimitOptions;
  /** Close a public connection that sent nothing (no ping) for this long (default 600,000 ms). */
  readonly idleTimeoutMs?: number;
  /** New connections accepted per 5 minutes (default 500); more are refused with HTTP 429. */
  readonly maxConnectionsPer5Min?: number;
}

export interface BybitFrontEndOptions extends BybitOptions {
  readonly market: Market;
  readonly faults: SimFaults;
  /** The venue's trading core (default: a fresh engine over `market` without accounts). */
  readonly trading?: SimTradingEngine;
  /** Order-ack and private-event fault switches (default: a private set nobody else switches). */
  readonly tradingFaults?: TradingFaults;
  readonly port?: number;
  readonly host?: string;
}

/** The URLs clients use for Bybit. */
export interface BybitEndpoints {
  /** REST base: `<rest>/v5/market/orderbook?category=linear&symbol=BTCUSDT`. */
  readonly rest: string;
  /** Complete WebSocket URLs: `ws://127.0.0.1:P/v5/public/spot`, ..., `/v5/private` (auth, order/execution/position/wallet). */
  readonly ws: { readonly spot: string; readonly linear: string; readonly inverse: string; readonly private: string };
}

/** Venue-specific fault types this front end answers on `POST /_sim/faults`. */
export const BYBIT_FAULTS = {
  /** `{type, symbol, segment?}`: snapshot with `u: 1` on each order-book topic of the symbol, deltas continue from 1. */
  restart: 'bybit-restart',
  /** `{type, symbol, segment?}`: a fresh snapshot (next `u`) on each order-book topic of the symbol. */
  resnapshot: 'bybit-resnapshot',
} as const;

export class BybitFrontEnd implements SimFrontEnd {
  readonly venue = 'bybit';
  readonly name = 'bybit';
  readonly segments = BYBIT_CATEGORIES;
  readonly market: Market;
  readonly rest: BybitRestApi;
  readonly streams: BybitStreamServer;
  readonly trading: SimTradingEngine;
  readonly tradingRest: BybitTradingRest;
  readonly privateStreams: BybitPrivateStreams;
  private readonly tradingFaults: TradingFaults;
  /** Symbols by category then Bybit id. */
  readonly symbols: ReadonlyMap<BybitCategory, ReadonlyMap<string, BybitSymbol>>;
  private readonly server: Server;
  private readonly unregister: Array<() => void> = [];
  private readonly maxConnectionsPer5Min: number;
  private readonly accepts: number[] = [];
  private endpointsValue: BybitEndpoints | undefined;

  private constructor(o: BybitFrontEndOptions) {
    this.market = o.market;
    const byCategory = new Map<BybitCategory, Map<string, BybitSymbol>>(BYBIT_CATEGORIES.map((c) => [c, new Map()]));
    for (const i of o.market.instruments.values()) {
      const s = bybitSymbol(i);
      byCategory.get(s.category)?.set(s.id, s);
    }
    this.symbols = byCategory;
    this.maxConnectionsPer5Min = o.maxConnectionsPer5Min ?? 500;
    this.streams = new BybitStreamServer({ market: o.market, faults: o.faults, symbols: byCategory, idleTimeoutMs: o.idleTimeoutMs ?? 600_000, spotArgsPerRequest: 10 });
    this.trading = o.trading ?? new SimTradingEngine({ market: o.market, now: () => o.faults.now() });
    this.tradingFaults = o.tradingFaults ?? new TradingFaults();
    const body = { market: o.market, linkIds: new BybitLinkIds(), makerFee: this.trading.options.makerFee ?? '0.0002', takerFee: this.trading.options.takerFee ?? '0.0005' };
    this.tradingRest = new BybitTradingRest({ engine: this.trading, market: o.market, symbols: byCategory, body });
    this.privateStreams = new BybitPrivateStreams({
      engine: this.trading,
      tradingFaults: this.tradingFaults,
      body,
      byUnified: this.tradingRest.byUnified,
      settledPositions: (apiKey) => this.tradingRest.settledPositions(apiKey),
      now: () => o.faults.now(),
    });
    this.rest = new BybitRestApi(o.market, o.faults, new BybitRateLimiter(o.rateLimits), byCategory, (symbol) => this.streams.direction(symbol), this.tradingRest);
    this.unregister.push(o.market.listen({ bookChange: (c) => this.rest.noteBookChange(c.symbol) }));
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    for (const category of BYBIT_CATEGORIES) {
      this.unregister.push(
        o.faults.register({
          venue: 'bybit',
          segment: category,
          dropConnections: () => this.streams.of(category).map((c) => c.drop()).length,
          stall: (ms) => this.streams.of(category).map((c) => c.stall(ms)).length,
          // Bybit announces no shutdown on public streams: connections close with 1001 (after `closeAfterMs`).
          sendServerShutdown: (closeAfterMs) => this.streams.of(category).map((c) => c.close(1001, 'Server shutdown', 'server-shutdown', closeAfterMs ?? 0)).length,
        }),
      );
    }
  }

  static async start(o: BybitFrontEndOptions): Promise<BybitFrontEnd> {
    const fe = new BybitFrontEnd(o);
    const host = o.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      fe.server.once('error', reject);
      fe.server.listen(o.port ?? 0, host, () => {
        fe.server.off('error', reject);
        resolve();
      });
    });
    const base = `${host}:${(fe.server.address() as AddressInfo).port}`;
    fe.endpointsValue = { rest: `http://${base}`, ws: { spot: `ws://${base}/v5/public/spot`, linear: `ws://${base}/v5/public/linear`, inverse: `ws://${base}/v5/public/inverse`, private: `ws://${base}/v5/private` } };
    return fe;
  }

  get endpoints(): BybitEndpoints {
    if (this.endpointsValue === undefined) throw new VenueError('closed', 'the front end is not listening');
    return this.endpointsValue;
  }

  counters(): SimFrontEndCounters {
    const s = this.streams;
    return { connections: { open: s.connections.size, accepted: s.counts.accepted, closedByServer: { ...s.counts.closedByServer } }, subscriptions: s.subscriptionCount, rest: { total: this.rest.counts.total, byRoute: { ...this.rest.counts.byRoute }, byStatus: { ...this.rest.counts.byStatus } } };
  }

  listedSymbols(): ListedSymbol[] {
    return [...this.symbols.values()].flatMap((m) => [...m.values()].map((s) => ({ id: s.id, symbol: s.instrument.symbol, segment: s.category })));
  }

  /** Snapshot with `u: 1` on each order-book topic of `symbol`, as after a Bybit service restart. Returns topics hit. */
  restart(symbol: string, category?: BybitCategory): number {
    return this.streams.resnapshot(symbol, true, category);
  }

  /** A fresh snapshot on each order-book topic of `symbol` (Bybit may resend one at any time). */
  resnapshot(symbol: string, category?: BybitCategory): number {
    return this.streams.resnapshot(symbol, false, category);
  }

  applyFault(f: FaultRequest): unknown {
    if (f.type !== BYBIT_FAULTS.restart && f.type !== BYBIT_FAULTS.resnapshot) return undefined;
    const symbol = this.unified(f.symbol, f.segment);
    const category = f.segment as BybitCategory | undefined;
    const topics = f.type === BYBIT_FAULTS.restart ? this.restart(symbol, category) : this.resnapshot(symbol, category);
    return { symbol, topics };
  }

  /** Terminates every private WebSocket without a close frame; returns how many were cut. */
  dropPrivateStreams(): number {
    return this.privateStreams.dropAll();
  }

  async close(): Promise<void> {
    for (const u of this.unregister) u();
    await this.streams.close();
    this.privateStreams.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A unified symbol or a Bybit id (in `category`, else spot first). */
  private unified(value: unknown, category?: string): string {
    if (typeof value !== 'string' || value === '') throw new VenueError('invalid-argument', 'symbol is required');
    if (value.includes('/')) return this.market.instrument(value).symbol;
    for (const c of BYBIT_CATEGORIES) {
      if (category !== undefined && c !== category) continue;
      const s = this.symbols.get(c)?.get(value);
      if (s !== undefined) return s.instrument.symbol;
    }
    throw new VenueError('not-found', `unknown bybit symbol ${value}`);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = this.rest.handle(req.method ?? 'GET', req.url ?? '/', req.socket.remoteAddress ?? '127.0.0.1', { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const send = (body = r.body): void => {
        if (res.destroyed) return;
        res.writeHead(r.status, r.headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      const fault: AckFault | undefined = r.command === true ? this.tradingFaults.takeAckFault('bybit') : undefined;
      if (fault === undefined) send();
      else if (fault.kind === 'garble') send(garbledBody(r.body));
      else if (fault.kind === 'delay') setTimeout(() => send(), fault.ms);
      else if (fault.kind === 'lose') req.socket.destroy();
      else setTimeout(() => req.socket.destroy(), fault.ms);
    });
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const now = Date.now();
    while ((this.accepts[0] ?? now) <= now - 300_000) this.accepts.shift();
    if (this.accepts.length >= this.maxConnectionsPer5Min) {
      socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.accepts.push(now);
    // ccxt keeps the original host as a path prefix (`/stream.bybit.com/v5/public/spot`): match the suffix.
    const m = /\/v5\/(public\/(spot|linear|inverse)|private)$/.exec(path.replace(/\/+$/, ''));
    if (m === null) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (m[2] !== undefined) {
      this.streams.handleUpgrade(req, socket, head, m[2] as BybitCategory);
      return;
    }
    this.privateStreams.handleUpgrade(req, socket, head);
  }
}
