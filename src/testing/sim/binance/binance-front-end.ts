/**
 * One Binance segment (spot or USD-M) of the simulator on its own HTTP + WebSocket server on 127.0.0.1:
 * REST market data and signed trading, market streams, the WS API (spot user data), the USD-M private stream, and
 * the fault hooks for this segment (acknowledgement faults on order commands, private stream drops).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { VenueError } from '../../../core/errors.js';
import type { FaultTarget, SimFaults } from '../faults.js';
import type { ListedSymbol, SimFrontEnd, SimFrontEndCounters } from '../front-end.js';
import type { Market } from '../market.js';
import { SimTradingEngine } from '../trading/engine.js';
import { garbledBody, TradingFaults, type AckFault } from '../trading/trading-faults.js';
import { UsdmPrivateStreams } from './private-stream.js';
import { WeightMeter } from './request-weights.js';
import { BinanceRestApi, type RestResponse } from './rest-api.js';
import { BinanceStreamServer, type RawDepthTarget } from './stream-server.js';
import { BinanceTradingRest } from './trading-rest.js';
import { wireSymbol, type BinanceSegment, type WireSymbol } from './wire-format.js';
import { BinanceWsApi } from './ws-api.js';

export interface BinanceFrontEndOptions {
  readonly segment: BinanceSegment;
  readonly market: Market;
  readonly faults: SimFaults;
  /** Port to listen on (0 = any free port). */
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  /** REQUEST_WEIGHT per window (spot default 6000, USD-M 2400). */
  readonly weightLimit?: number | undefined;
  readonly weightWindowMs?: number | undefined;
  readonly banAfterRejections?: number | undefined;
  readonly banMs?: number | undefined;
  /** Server ping period (spot default 20 s, USD-M 3 min) and the pong deadline (spot 1 min, USD-M 10 min). */
  readonly pingIntervalMs?: number | undefined;
  readonly pongTimeoutMs?: number | undefined;
  /** Connection lifetime cap (default 24 h). */
  readonly maxConnectionLifetimeMs?: number | undefined;
  /** Incoming messages per second per connection (spot 5, USD-M 10). */
  readonly maxIncomingPerSecond?: number | undefined;
  /** USD-M: serve every stream on pre-2026 paths without `/public` or `/market` (default false: only the public tier). */
  readonly legacyUsdmPaths?: boolean | undefined;
  /** The venue's trading core (default: a fresh engine over `market` with no accounts). */
  readonly trading?: SimTradingEngine | undefined;
  /** Acknowledgement and private-event faults (default: a private, never-armed set). */
  readonly tradingFaults?: TradingFaults | undefined;
  /** USD-M listenKey validity (default 60 min). */
  readonly listenKeyValidityMs?: number | undefined;
}

/** The URLs clients use for this segment. */
export interface SegmentEndpoints {
  /** REST base: `<rest>/api/v3/depth` (spot), `<rest>/fapi/v1/depth` (USD-M). */
  readonly rest: string;
  /** Stream base: `<ws>/ws/<s>`, `<ws>/stream?streams=a/b`; USD-M `<ws>/public/...`, `<ws>/market/...`. */
  readonly ws: string;
  /** WebSocket API URL: `ping`, `time`; spot also `userDataStream.subscribe.signature` / `userDataStream.unsubscribe`. */
  readonly wsApi: string;
}

/** A running Binance segment. */
export class BinanceFrontEnd implements FaultTarget, SimFrontEnd {
  readonly venue = 'binance';
  readonly segment: BinanceSegment;
  readonly name: string;
  readonly segments: readonly BinanceSegment[];
  readonly market: Market;
  readonly rest: BinanceRestApi;
  readonly streams: BinanceStreamServer;
  /** This segment's symbols by venue id (`BTCUSDT`). */
  readonly symbols: ReadonlyMap<string, WireSymbol>;
  readonly trading: SimTradingEngine;
  readonly tradingRest: BinanceTradingRest;
  readonly wsApi: BinanceWsApi;
  /** USD-M only: listenKeys and the `/private/ws` connections. */
  readonly privateStreams: UsdmPrivateStreams | undefined;
  private readonly server: Server;
  private readonly unregister: () => void;
  private readonly faults: SimFaults;
  private readonly heldAnswers = new Set<ReturnType<typeof setTimeout>>();
  /** Whether `trading` was created here (then closed here). */
  private readonly ownsEngine: boolean;
  private endpointsValue: SegmentEndpoints | undefined;

  private constructor(o: BinanceFrontEndOptions) {
    this.segment = o.segment;
    this.name = `binance:${o.segment}`;
    this.segments = [o.segment];
    this.market = o.market;
    this.faults = o.faults;
    const spot = o.segment === 'spot';
    const list = [...o.market.instruments.values()].filter((i) => (spot ? i.kind === 'spot' : i.kind === 'perp' && (i.settle === 'USDT' || i.settle === 'USDC'))).map((i) => wireSymbol(i, o.segment));
    this.symbols = new Map(list.map((w) => [w.id, w]));
    const meter = new WeightMeter({ limit: o.weightLimit ?? (spot ? 6000 : 2400), windowMs: o.weightWindowMs, banAfterRejections: o.banAfterRejections, banMs: o.banMs });
    this.rest = new BinanceRestApi(o.segment, o.market, o.faults, meter, this.symbols);
    this.streams = new BinanceStreamServer({
      segment: o.segment,
      market: o.market,
      faults: o.faults,
      symbols: new Map(list.map((w) => [w.lower, w])),
      pingIntervalMs: o.pingIntervalMs ?? (spot ? 20_000 : 180_000),
      pongTimeoutMs: o.pongTimeoutMs ?? (spot ? 60_000 : 600_000),
      maxLifetimeMs: o.maxConnectionLifetimeMs ?? 86_400_000,
      maxIncomingPerSecond: o.maxIncomingPerSecond ?? (spot ? 5 : 10),
      legacyUsdmPaths: o.legacyUsdmPaths ?? false,
    });
    this.ownsEngine = o.trading === undefined;
    this.trading = o.trading ?? new SimTradingEngine({ market: o.market, now: () => o.faults.now() });
    const tradingFaults = o.tradingFaults ?? new TradingFaults();
    const now = (): number => o.faults.now();
    const byUnified = new Map(list.map((w) => [w.instrument.symbol, w]));
    const pingIntervalMs = o.pingIntervalMs ?? (spot ? 20_000 : 180_000);
    this.privateStreams = spot ? undefined : new UsdmPrivateStreams({ engine: this.trading, tradingFaults, symbols: byUnified, now, listenKeyValidityMs: o.listenKeyValidityMs, pingIntervalMs });
    this.tradingRest = new BinanceTradingRest({ segment: o.segment, engine: this.trading, tradingFaults, symbols: this.symbols, rest: this.rest, now, listenKeys: this.privateStreams });
    this.wsApi = new BinanceWsApi({ segment: o.segment, engine: this.trading, tradingFaults, symbols: byUnified, now, pingIntervalMs });
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.unregister = o.faults.register(this);
  }

  /** Creates and starts listening. */
  static async start(o: BinanceFrontEndOptions): Promise<BinanceFrontEnd> {
    const fe = new BinanceFrontEnd(o);
    const host = o.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      fe.server.once('error', reject);
      fe.server.listen(o.port ?? 0, host, () => {
        fe.server.off('error', reject);
        resolve();
      });
    });
    const port = (fe.server.address() as AddressInfo).port;
    fe.endpointsValue = {
      rest: `http://${host}:${port}`,
      ws: `ws://${host}:${port}`,
      wsApi: o.segment === 'spot' ? `ws://${host}:${port}/ws-api/v3` : `ws://${host}:${port}/ws-fapi/v1`,
    };
    return fe;
  }

  get endpoints(): SegmentEndpoints {
    if (this.endpointsValue === undefined) throw new VenueError('closed', 'the front end is not listening');
    return this.endpointsValue;
  }

  counters(): SimFrontEndCounters {
    const s = this.streams;
    return { connections: { open: s.connections.size, accepted: s.counts.accepted, closedByServer: { ...s.counts.closedByServer } }, subscriptions: s.subscriptionCount, rest: { total: this.rest.counts.total, byRoute: { ...this.rest.counts.byRoute }, byStatus: { ...this.rest.counts.byStatus } } };
  }

  listedSymbols(): ListedSymbol[] {
    return [...this.symbols.values()].map((w) => ({ id: w.id, symbol: w.instrument.symbol, segment: this.segment }));
  }

  /** Diff-depth subscribers of a venue symbol id, for raw writes by the bench feed. */
  rawDepthTargets(id: string): RawDepthTarget[] {
    return this.streams.rawDepthTargets(id.toLowerCase());
  }

  dropConnections(): number {
    return this.streams.dropAll();
  }

  stall(ms: number): number {
    return this.streams.stallAll(ms);
  }

  sendServerShutdown(closeAfterMs?: number): number {
    return this.streams.shutdownNotice(closeAfterMs);
  }

  /** Terminates every private WebSocket (WS API sessions with a user-data subscription, USD-M `/private` streams), no close frame. */
  dropPrivateStreams(): number {
    return this.wsApi.dropPrivate() + (this.privateStreams?.dropAll() ?? 0);
  }

  /** USD-M: expires every listenKey now (`listenKeyExpired` on their streams); returns how many. */
  expireListenKeys(): number {
    return this.privateStreams?.expireAll() ?? 0;
  }

  async close(): Promise<void> {
    this.unregister();
    await this.streams.close();
    for (const t of this.heldAnswers) clearTimeout(t);
    this.heldAnswers.clear();
    await this.wsApi.close();
    await this.privateStreams?.close();
    if (this.ownsEngine) this.trading.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const pathAndQuery = req.url ?? '/';
    const ip = req.socket.remoteAddress ?? '127.0.0.1';
    if (!this.tradingRest.serves(pathAndQuery.split('?')[0] ?? '/')) {
      req.resume();
      const r = this.rest.handle(req.method ?? 'GET', pathAndQuery, ip);
      this.send(res, req.method === 'HEAD', r);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const header = req.headers['x-mbx-apikey'];
      const apiKey = Array.isArray(header) ? header[0] : header;
      const out = this.tradingRest.handle(req.method ?? 'GET', pathAndQuery, Buffer.concat(chunks).toString('utf8'), apiKey, ip);
      this.answerWithFault(req, res, out.response, out.ackFault);
    });
  }

  private send(res: ServerResponse, head: boolean, r: RestResponse): void {
    res.writeHead(r.status, r.headers);
    res.end(head ? undefined : r.body);
  }

  /** Sends an order command's answer through its acknowledgement fault (the engine has already acted). */
  private answerWithFault(req: IncomingMessage, res: ServerResponse, r: RestResponse, fault: AckFault | undefined): void {
    if (fault === undefined) return this.send(res, false, r);
    if (fault.kind === 'lose') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'garble') return this.send(res, false, { ...r, body: garbledBody(r.body) });
    const t = setTimeout(() => {
      this.heldAnswers.delete(t);
      if (fault.kind === 'delay') this.send(res, false, r);
      else req.socket.destroy();
    }, fault.ms);
    this.heldAnswers.add(t);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (/\/ws-(api|fapi)\//.test(path + '/')) {
      this.wsApi.handleUpgrade(req, socket, head);
      return;
    }
    if (this.privateStreams !== undefined && UsdmPrivateStreams.isPrivatePath(path)) {
      this.privateStreams.handleUpgrade(req, socket, head);
      return;
    }
    this.streams.handleUpgrade(req, socket, head);
  }
}
