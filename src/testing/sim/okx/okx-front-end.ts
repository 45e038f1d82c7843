/**
 * The OKX v5 front end of the simulator on its own HTTP + WebSocket server on 127.0.0.1: REST public, market
 * data and (with a trading engine) signed trading, the public / business / private WebSocket paths, the fault
 * hooks (generic, OKX's own, order-ack faults and private-stream drops). One server
 * for SPOT, SWAP and FUTURES, as OKX serves every instrument type on one host (fault segment `v5`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { VenueError } from '../../../core/errors.js';
import type { FaultTarget, SimFaults } from '../faults.js';
import type { FaultRequest, ListedSymbol, SimFrontEnd, SimFrontEndCounters } from '../front-end.js';
import { derivativesCatalogue, type InstrumentSpec } from '../instruments.js';
import type { Market } from '../market.js';
import type { SimTradingEngine } from '../trading/engine.js';
import { garbledBody, TradingFaults, type AckFault } from '../trading/trading-faults.js';
import { OkxPrivateStreams } from './private-stream.js';
import { OkxRestApi, type EndpointLimit, type RestResponse } from './rest-api.js';
import { OkxStreamServer } from './stream-server.js';
import { OkxTradingRest } from './trading-rest.js';
import { okxInstrument, type OkxInstrument } from './wire-format.js';

/** OKX settings a simulator user may pass (`startSimulator({ okx: {...} })`). */
export interface OkxOptions {
  /** Real CRC32 `checksum`s in `books` (default false: 0, as production sends since 2026-06-23). */
  readonly okxChecksums?: boolean | undefined;
  /** The announced 2026 behaviour: `books` sends no initial snapshot (default false). */
  readonly noInitialSnapshot?: boolean | undefined;
  /** `books` push period (default 100 ms). */
  readonly booksIntervalMs?: number | undefined;
  /** No-change `books` heartbeat period (default 60 s). */
  readonly heartbeatMs?: number | undefined;
  /** Close a connection after this long without incoming messages or pushed data (default 30 s). */
  readonly idleTimeoutMs?: number | undefined;
  /** Subscribe / unsubscribe / login requests per hour per connection (default 480). */
  readonly requestsPerHour?: number | undefined;
  /** New WebSocket connections per second per IP (default 3, as documented); more are refused with HTTP 429. */
  readonly connectionsPerSecond?: number | undefined;
  /** Per-endpoint REST limits by path (`/api/v5/market/books`: `{ limit: 40, windowMs: 2000 }`...). */
  readonly restLimits?: Readonly<Record<string, Partial<EndpointLimit>>> | undefined;
}

export interface OkxFrontEndOptions extends OkxOptions {
  readonly market: Market;
  readonly faults: SimFaults;
  /** The venue's trading engine: signed REST trading and the private stream (absent: market data only). */
  readonly trading?: SimTradingEngine | undefined;
  /** Order-ack and private-event fault switches (default: a private set nobody arms). */
  readonly tradingFaults?: TradingFaults | undefined;
  /** Port to listen on (0 = any free port). */
  readonly port?: number | undefined;
  readonly host?: string | undefined;
}

/**
 * The URLs clients use, shaped like venuekit's `OkxUrls` (`rest`, `public`, `business`, `private`).
 * ccxt: `urls.api.rest = rest`, `urls.api.ws = ws`.
 */
export interface OkxEndpoints {
  /** REST base: `<rest>/api/v5/...`. */
  readonly rest: string;
  /** WS base: `<ws>/public`, `<ws>/business`, `<ws>/private`. */
  readonly ws: string;
  readonly public: string;
  readonly business: string;
  readonly private: string;
}

/** OKX-only fault types for `POST /_sim/faults` (with `venue: "okx"` and a `symbol`). */
/** Request bodies larger than this reset the connection. */
const MAX_BODY_BYTES = 1 << 20;

export const OKX_FAULT_TYPES = ['okx-prev-seq-break', 'okx-bad-checksum', 'okx-sequence-reset'] as const;

export class OkxFrontEnd implements FaultTarget, SimFrontEnd {
  readonly venue = 'okx';
  readonly name = 'okx';
  readonly segment = 'v5';
  readonly segments: readonly string[] = ['v5'];
  readonly market: Market;
  readonly rest: OkxRestApi;
  readonly streams: OkxStreamServer;
  /** The signed trading endpoints, when a trading engine is attached. */
  readonly trading: OkxTradingRest | undefined;
  /** Listed instruments by instId. */
  readonly instruments: ReadonlyMap<string, OkxInstrument>;
  private readonly server: Server;
  private readonly unregister: () => void;
  private endpointsValue: OkxEndpoints | undefined;
  private readonly connectionsPerSecond: number;
  private readonly upgrades = new Map<string, number[]>();
  private readonly tradingFaults: TradingFaults;
  /** Answers held by the delay / timeout-after-accept faults. */
  private readonly heldAnswers = new Set<ReturnType<typeof setTimeout>>();

  private constructor(o: OkxFrontEndOptions) {
    this.market = o.market;
    this.connectionsPerSecond = o.connectionsPerSecond ?? 3;
    const list = [...o.market.instruments.values()].map(okxInstrument);
    this.instruments = new Map(list.map((w) => [w.instId, w]));
    const now = (): number => o.faults.now();
    this.tradingFaults = o.tradingFaults ?? new TradingFaults();
    this.trading = o.trading === undefined ? undefined : new OkxTradingRest(o.trading, o.market, this.instruments, now);
    const privateStreams = o.trading === undefined || this.trading === undefined ? undefined : new OkxPrivateStreams({ engine: o.trading, tradingFaults: this.tradingFaults, rest: this.trading, now });
    this.streams = new OkxStreamServer({
      market: o.market,
      faults: o.faults,
      instruments: list,
      booksIntervalMs: o.booksIntervalMs ?? 100,
      heartbeatMs: o.heartbeatMs ?? 60_000,
      checksums: o.okxChecksums ?? false,
      noInitialSnapshot: o.noInitialSnapshot ?? false,
      idleTimeoutMs: o.idleTimeoutMs ?? 30_000,
      requestsPerHour: o.requestsPerHour ?? 480,
      privateStreams,
    });
    this.rest = new OkxRestApi(o.market, o.faults, list, this.streams, o.restLimits, this.trading);
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.unregister = o.faults.register(this);
  }

  static async start(o: OkxFrontEndOptions): Promise<OkxFrontEnd> {
    const fe = new OkxFrontEnd(o);
    const host = o.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      fe.server.once('error', reject);
      fe.server.listen(o.port ?? 0, host, () => {
        fe.server.off('error', reject);
        resolve();
      });
    });
    const port = (fe.server.address() as AddressInfo).port;
    const ws = `ws://${host}:${port}/ws/v5`;
    fe.endpointsValue = { rest: `http://${host}:${port}`, ws, public: `${ws}/public`, business: `${ws}/business`, private: `${ws}/private` };
    return fe;
  }

  get endpoints(): OkxEndpoints {
    if (this.endpointsValue === undefined) throw new VenueError('closed', 'the front end is not listening');
    return this.endpointsValue;
  }

  /** An instrument by instId or unified symbol. */
  instrument(idOrSymbol: string): OkxInstrument {
    const w = this.instruments.get(idOrSymbol) ?? [...this.instruments.values()].find((i) => i.instrument.symbol === idOrSymbol);
    if (w === undefined) throw new VenueError('not-found', `OKX simulator does not list ${idOrSymbol}`);
    return w;
  }

  counters(): SimFrontEndCounters {
    const s = this.streams;
    return {
      connections: { open: s.connections.size, accepted: s.counts.accepted, closedByServer: { ...s.counts.closedByServer } },
      subscriptions: s.subscriptionCount,
      rest: { total: this.rest.counts.total, byRoute: { ...this.rest.counts.byRoute }, byStatus: { ...this.rest.counts.byStatus } },
    };
  }

  listedSymbols(): readonly ListedSymbol[] {
    return [...this.instruments.values()].map((w) => ({ id: w.instId, symbol: w.instrument.symbol, segment: w.instType }));
  }

  // ------------------------------------------------------------------ faults

  /** The next `books` update of `symbol` carries a `prevSeqId` that is not the last `seqId`. */
  breakPrevSeqId(symbol: string): void {
    this.streams.feed(this.instrument(symbol)).armed.prevSeqIdBreak++;
  }

  /** The next `books` update of `symbol` carries a wrong non-zero `checksum`. */
  corruptChecksum(symbol: string): void {
    this.streams.feed(this.instrument(symbol)).armed.badChecksum++;
  }

  /** The next `books` update of `symbol` restarts the sequence lower (`seqId < prevSeqId`), chained afterwards. */
  resetSequence(symbol: string): void {
    this.streams.feed(this.instrument(symbol)).armed.sequenceReset++;
  }

  applyFault(request: FaultRequest): unknown {
    if (!(OKX_FAULT_TYPES as readonly string[]).includes(request.type)) return undefined;
    if (typeof request.symbol !== 'string' || request.symbol === '') throw new VenueError('invalid-argument', `${request.type} needs a symbol`);
    const w = this.instrument(request.symbol);
    if (request.type === 'okx-prev-seq-break') this.breakPrevSeqId(w.instId);
    else if (request.type === 'okx-bad-checksum') this.corruptChecksum(w.instId);
    else this.resetSequence(w.instId);
    return { type: request.type, instId: w.instId };
  }

  /** Cuts every private WebSocket without a close frame (the client sees 1006). Returns how many. */
  dropPrivateStreams(): number {
    return this.streams.dropPrivate();
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
    for (const t of this.heldAnswers) clearTimeout(t);
    this.heldAnswers.clear();
    await this.streams.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Reads the body (signatures cover its exact bytes), answers, and applies an ack fault to order commands. */
  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.socket.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const r = this.rest.handle(req.method ?? 'GET', req.url ?? '/', req.socket.remoteAddress ?? '127.0.0.1', req.headers, Buffer.concat(chunks));
      const fault = r.orderCommand === true ? this.tradingFaults.takeAckFault('okx') : undefined;
      this.deliver(req, res, r, fault);
    });
  }

  private deliver(req: IncomingMessage, res: ServerResponse, r: RestResponse, fault: AckFault | undefined): void {
    const send = (body = r.body): void => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(r.status, r.headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const later = (ms: number, what: () => void): void => {
      const t = setTimeout(() => {
        this.heldAnswers.delete(t);
        what();
      }, ms);
      this.heldAnswers.add(t);
    };
    if (fault === undefined) send();
    else if (fault.kind === 'garble') send(garbledBody(r.body));
    else if (fault.kind === 'delay') later(fault.ms, () => send());
    else if (fault.kind === 'lose') req.socket.destroy();
    else later(fault.ms, () => req.socket.destroy());
  }

  /** Sliding one-second count of connection attempts per IP. */
  private admitConnection(ip: string): boolean {
    const now = Date.now();
    const times = this.upgrades.get(ip) ?? [];
    while (times.length > 0 && (times[0] as number) <= now - 1000) times.shift();
    this.upgrades.set(ip, times);
    if (times.length >= this.connectionsPerSecond) return false;
    times.push(now);
    return true;
  }

  /** `/ws/v5/public`, `/ws/v5/business`, `/ws/v5/private` (any prefix; a query such as `?brokerId=` is ignored). */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const m = /\/ws\/v5\/(public|business|private)\/?$/.exec(path);
    if (m === null) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!this.admitConnection(req.socket.remoteAddress ?? '127.0.0.1')) {
      socket.end('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.streams.handleUpgrade(req, socket, head, m[1] as 'public' | 'business' | 'private');
  }
}

/** OKX's instrument catalogue: every default instrument plus inverse (100 USD BTC contracts, 10 USD otherwise), USDC and dated contracts. */
export function okxCatalogue(startMs: number): InstrumentSpec[] {
  return derivativesCatalogue(startMs, { inverseContractSize: (base) => (base === 'BTC' ? '100' : '10') });
}
