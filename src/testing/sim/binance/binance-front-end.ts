/**
 * One Binance segment (spot or USD-M) of the simulator on its own HTTP + WebSocket server on 127.0.0.1:
 * REST market data, market streams, a WS-API placeholder, and the fault hooks for this segment.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { VenueError } from '../../../core/errors.js';
import type { FaultTarget, SimFaults } from '../faults.js';
import type { ListedSymbol, SimFrontEnd, SimFrontEndCounters } from '../front-end.js';
import type { Market } from '../market.js';
import { WeightMeter } from './request-weights.js';
import { BinanceRestApi } from './rest-api.js';
import { BinanceStreamServer, type RawDepthTarget } from './stream-server.js';
import { wireSymbol, type BinanceSegment, type WireSymbol } from './wire-format.js';

export interface BinanceFrontEndOptions {
  readonly segment: BinanceSegment;
  readonly market: Market;
  readonly faults: SimFaults;
  /** Port to listen on (0 = any free port). */
  readonly port?: number;
  readonly host?: string;
  /** REQUEST_WEIGHT per window (spot default 6000, USD-M 2400). */
  readonly weightLimit?: number;
  readonly weightWindowMs?: number;
  readonly banAfterRejections?: number;
  readonly banMs?: number;
  /** Server ping period (spot default 20 s, USD-M 3 min) and the pong deadline (spot 1 min, USD-M 10 min). */
  readonly pingIntervalMs?: number;
  readonly pongTimeoutMs?: number;
  /** Connection lifetime cap (default 24 h). */
  readonly maxConnectionLifetimeMs?: number;
  /** Incoming messages per second per connection (spot 5, USD-M 10). */
  readonly maxIncomingPerSecond?: number;
  /** USD-M: serve every stream on pre-2026 paths without `/public` or `/market` (default false: only the public tier). */
  readonly legacyUsdmPaths?: boolean;
}

/** The URLs clients use for this segment. */
export interface SegmentEndpoints {
  /** REST base: `<rest>/api/v3/depth` (spot), `<rest>/fapi/v1/depth` (USD-M). */
  readonly rest: string;
  /** Stream base: `<ws>/ws/<s>`, `<ws>/stream?streams=a/b`; USD-M `<ws>/public/...`, `<ws>/market/...`. */
  readonly ws: string;
  /** WebSocket API URL (a placeholder that answers `ping` and `time` only). */
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
  private readonly server: Server;
  private readonly wsApi = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly unregister: () => void;
  private readonly faults: SimFaults;
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

  async close(): Promise<void> {
    this.unregister();
    await this.streams.close();
    for (const c of this.wsApi.clients) c.terminate();
    this.wsApi.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const r = this.rest.handle(req.method ?? 'GET', req.url ?? '/', req.socket.remoteAddress ?? '127.0.0.1');
    res.writeHead(r.status, r.headers);
    res.end(req.method === 'HEAD' ? undefined : r.body);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (/\/ws-(api|fapi)\//.test(path + '/')) {
      this.wsApi.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        ws.on('message', (data) => {
          let id: unknown = null;
          let method: unknown;
          try {
            const msg = JSON.parse(data.toString()) as Record<string, unknown>;
            id = msg['id'] ?? null;
            method = msg['method'];
          } catch {
            // answered below as an unsupported request
          }
          const now = this.faults.now();
          if (method === 'ping') ws.send(JSON.stringify({ id, status: 200, result: {} }));
          else if (method === 'time') ws.send(JSON.stringify({ id, status: 200, result: { serverTime: now } }));
          else ws.send(JSON.stringify({ id, status: 400, error: { code: -1000, msg: 'The simulator does not implement this WebSocket API method yet.' } }));
        });
      });
      return;
    }
    this.streams.handleUpgrade(req, socket, head);
  }
}
