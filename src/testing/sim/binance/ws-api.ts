/**
 * The Binance WebSocket API of the simulator (spot `/ws-api/v3`, USD-M `/ws-fapi/v1`): `ping`, `time`, and on spot the
 * user data stream (`userDataStream.subscribe.signature` / `unsubscribe`, events wrapped per subscription).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SimTradingEngine } from '../trading/engine.js';
import { PrivateFramePump, type TradingFaults } from '../trading/trading-faults.js';
import { BinanceApiError, verifySignedWsParams } from './auth-check.js';
import { SpotUserEvents } from './user-events.js';
import type { BinanceSegment, WireSymbol } from './wire-format.js';

export interface WsApiOptions {
  readonly segment: BinanceSegment;
  readonly engine: SimTradingEngine;
  readonly tradingFaults: TradingFaults;
  /** This segment's symbols by unified symbol (`BTC/USDT`). */
  readonly symbols: ReadonlyMap<string, WireSymbol>;
  /** The venue clock (skewed). */
  readonly now: () => number;
  /** Server ping period (spot 20 s, USD-M 3 min). */
  readonly pingIntervalMs: number;
}

/** The docs' limit of subscriptions a session may hold at once. */
const MAX_ACTIVE_SUBSCRIPTIONS = 1000;

interface Subscription {
  readonly apiKey: string;
  readonly unlisten: () => void;
}

/** One WS API connection. */
class Session {
  readonly subscriptions = new Map<number, Subscription>();
  readonly pump: PrivateFramePump;
  nextSubscriptionId = 0;
  private readonly pinger: ReturnType<typeof setInterval>;

  constructor(
    readonly ws: WebSocket,
    faults: TradingFaults,
    pingIntervalMs: number,
  ) {
    this.pump = new PrivateFramePump('binance', faults, (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(frame);
    });
    this.pinger = setInterval(() => {
      if (ws.readyState === ws.OPEN) ws.ping();
    }, pingIntervalMs);
    this.pinger.unref();
  }

  release(): void {
    clearInterval(this.pinger);
    for (const s of this.subscriptions.values()) s.unlisten();
    this.subscriptions.clear();
    this.pump.close();
  }
}

/** Serves one segment's WS API connections. */
export class BinanceWsApi {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
  private readonly sessions = new Set<Session>();
  private executionIds = 0;

  constructor(private readonly o: WsApiOptions) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, this.o.tradingFaults, this.o.pingIntervalMs);
      this.sessions.add(session);
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        session.release();
        this.sessions.delete(session);
      });
      ws.on('message', (data) => this.onMessage(session, data.toString()));
    });
  }

  /** Open sessions holding at least one user-data subscription. */
  get privateSessions(): number {
    let n = 0;
    for (const s of this.sessions) if (s.subscriptions.size > 0) n++;
    return n;
  }

  /** Terminates every session with a user-data subscription (no close frame); returns how many. */
  dropPrivate(): number {
    let n = 0;
    for (const s of [...this.sessions]) {
      if (s.subscriptions.size === 0) continue;
      s.release();
      s.ws.terminate();
      n++;
    }
    return n;
  }

  async close(): Promise<void> {
    for (const s of this.sessions) {
      s.release();
      s.ws.terminate();
    }
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onMessage(session: Session, text: string): void {
    let id: unknown = null;
    let method: unknown;
    let params: Record<string, unknown> = {};
    try {
      const msg = JSON.parse(text) as Record<string, unknown>;
      id = msg['id'] ?? null;
      method = msg['method'];
      const p = msg['params'];
      if (p !== undefined && (typeof p !== 'object' || p === null || Array.isArray(p))) throw new BinanceApiError(400, -1102, "Mandatory parameter 'params' was not sent, was empty/null, or malformed.");
      params = (p ?? {}) as Record<string, unknown>;
      session.ws.send(JSON.stringify({ id, status: 200, result: this.run(session, method, params) }));
    } catch (err) {
      const e = err instanceof BinanceApiError ? err : new BinanceApiError(400, -1000, err instanceof SyntaxError ? 'Malformed request.' : 'An unknown error occurred while processing the request.');
      session.ws.send(JSON.stringify({ id, status: e.status, error: { code: e.code, msg: e.msg } }));
    }
  }

  private run(session: Session, method: unknown, params: Record<string, unknown>): unknown {
    const now = this.o.now();
    if (method === 'ping') return {};
    if (method === 'time') return { serverTime: now };
    if (this.o.segment === 'spot' && method === 'userDataStream.subscribe.signature') return this.subscribe(session, params, now);
    if (this.o.segment === 'spot' && method === 'userDataStream.unsubscribe') return this.unsubscribe(session, params);
    throw new BinanceApiError(400, -1020, 'This operation is not supported.');
  }

  private subscribe(session: Session, params: Record<string, unknown>, now: number): unknown {
    const creds = verifySignedWsParams(params, (k) => this.o.engine.credentials(k), now);
    for (const s of session.subscriptions.values()) if (s.apiKey === creds.apiKey) throw new BinanceApiError(400, -2035, 'User Data Stream subscription already active.');
    if (session.subscriptions.size >= MAX_ACTIVE_SUBSCRIPTIONS) throw new BinanceApiError(400, -1000, 'Too many active subscriptions on this session.');
    const subscriptionId = session.nextSubscriptionId++;
    const events = new SpotUserEvents(this.o.symbols, () => ++this.executionIds, this.o.now, (frame) => session.pump.send(`{"subscriptionId":${subscriptionId},"event":${frame}}`));
    const unlisten = this.o.engine.listen(creds.apiKey, (ev) => events.push(ev));
    session.subscriptions.set(subscriptionId, { apiKey: creds.apiKey, unlisten });
    return { subscriptionId };
  }

  private unsubscribe(session: Session, params: Record<string, unknown>): unknown {
    const raw = params['subscriptionId'];
    if (raw === undefined) {
      if (session.subscriptions.size === 0) throw new BinanceApiError(400, -2036, 'User Data Stream subscription not active.');
      for (const s of session.subscriptions.values()) s.unlisten();
      session.subscriptions.clear();
      return {};
    }
    const id = typeof raw === 'number' ? raw : Number.NaN;
    const sub = session.subscriptions.get(id);
    if (sub === undefined) throw new BinanceApiError(400, -2036, 'User Data Stream subscription not active.');
    sub.unlisten();
    session.subscriptions.delete(id);
    return {};
  }
}
