/**
 * USD-M user data of the simulator: listenKeys (60 min validity, `POST/PUT/DELETE /fapi/v1/listenKey`) and the
 * private stream at `<ws>/private/ws?listenKey=<key>` (also `/private/ws/<key>`), with `listenKeyExpired`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SimTradingEngine } from '../trading/engine.js';
import { PrivateFramePump, type TradingFaults } from '../trading/trading-faults.js';
import type { ListenKeyRegistry } from './trading-rest.js';
import { listenKeyExpired, UsdmUserEvents } from './user-events.js';
import type { WireSymbol } from './wire-format.js';

export interface PrivateStreamOptions {
  readonly engine: SimTradingEngine;
  readonly tradingFaults: TradingFaults;
  /** USD-M symbols by unified symbol (`BTC/USDT:USDT`). */
  readonly symbols: ReadonlyMap<string, WireSymbol>;
  readonly now: () => number;
  /** How long a key lives without keepalive (default 60 min). */
  readonly listenKeyValidityMs?: number | undefined;
  /** Server ping period (USD-M 3 min). */
  readonly pingIntervalMs: number;
}

/** Close code for a connection whose listenKey is unknown (RFC 6455 policy violation). */
export const INVALID_LISTEN_KEY_CLOSE = 1008;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface ListenKey {
  readonly key: string;
  readonly apiKey: string;
  expiresAt: number;
}

class PrivateConnection {
  readonly pump: PrivateFramePump;
  private unlisten: (() => void) | undefined;
  private readonly pinger: ReturnType<typeof setInterval>;

  constructor(
    readonly ws: WebSocket,
    readonly listenKey: string,
    o: PrivateStreamOptions,
    apiKey: string,
  ) {
    this.pump = new PrivateFramePump('binance', o.tradingFaults, (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(frame);
    });
    const events = new UsdmUserEvents(o.symbols, o.engine, apiKey, o.now, (frame) => this.pump.send(frame));
    this.unlisten = o.engine.listen(apiKey, (ev) => events.push(ev));
    this.pinger = setInterval(() => {
      if (ws.readyState === ws.OPEN) ws.ping();
    }, o.pingIntervalMs);
    this.pinger.unref();
  }

  /** Stops the account events (the socket stays open, silent, like Binance after an expiry). */
  silence(): void {
    this.unlisten?.();
    this.unlisten = undefined;
  }

  release(): void {
    this.silence();
    clearInterval(this.pinger);
    this.pump.close();
  }
}

/** The listenKey registry and the private stream connections of the USD-M segment. */
export class UsdmPrivateStreams implements ListenKeyRegistry {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 16 });
  private readonly keys = new Map<string, ListenKey>();
  private readonly byAccount = new Map<string, ListenKey>();
  private readonly connections = new Set<PrivateConnection>();
  private readonly validityMs: number;
  private readonly expiryTimer: ReturnType<typeof setInterval>;

  constructor(private readonly o: PrivateStreamOptions) {
    this.validityMs = o.listenKeyValidityMs ?? 3_600_000;
    this.expiryTimer = setInterval(() => this.expireDue(), 1000);
    this.expiryTimer.unref();
  }

  /** The listenKey of a private-stream URL (`/private/ws?listenKey=K` or `/private/ws/K`), or undefined. */
  static listenKeyOf(url: URL): string | undefined {
    const q = url.searchParams.get('listenKey');
    if (q !== null && q !== '') return q;
    const m = /\/private\/ws\/([^/]+)\/?$/.exec(url.pathname);
    return m?.[1];
  }

  /** Whether a path is on the private root. */
  static isPrivatePath(pathname: string): boolean {
    return /\/private\/(ws|stream)(\/|$)/.test(pathname);
  }

  create(apiKey: string): string {
    const active = this.byAccount.get(apiKey);
    if (active !== undefined) {
      active.expiresAt = this.o.now() + this.validityMs;
      return active.key;
    }
    const key = [...randomBytes(64)].map((b) => ALNUM[b % ALNUM.length]).join('');
    const entry: ListenKey = { key, apiKey, expiresAt: this.o.now() + this.validityMs };
    this.keys.set(key, entry);
    this.byAccount.set(apiKey, entry);
    return key;
  }

  keepAlive(apiKey: string): string | undefined {
    const active = this.byAccount.get(apiKey);
    if (active === undefined) return undefined;
    active.expiresAt = this.o.now() + this.validityMs;
    return active.key;
  }

  remove(apiKey: string): void {
    const active = this.byAccount.get(apiKey);
    if (active === undefined) return;
    this.byAccount.delete(apiKey);
    this.keys.delete(active.key);
    for (const c of [...this.connections]) if (c.listenKey === active.key) c.ws.close(1000, 'listenKey closed');
  }

  /** Expires every active key now (as if 60 minutes passed without keepalive); returns how many. */
  expireAll(): number {
    const all = [...this.keys.values()];
    for (const k of all) this.expire(k);
    return all.length;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const key = UsdmPrivateStreams.listenKeyOf(url);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      const entry = key === undefined ? undefined : this.keys.get(key);
      if (entry === undefined || entry.expiresAt <= this.o.now()) {
        ws.close(INVALID_LISTEN_KEY_CLOSE, 'Invalid listenKey');
        return;
      }
      const conn = new PrivateConnection(ws, entry.key, this.o, entry.apiKey);
      this.connections.add(conn);
      ws.on('close', () => {
        conn.release();
        this.connections.delete(conn);
      });
    });
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Terminates every private connection (no close frame); returns how many. */
  dropAll(): number {
    const n = this.connections.size;
    for (const c of [...this.connections]) {
      c.release();
      c.ws.terminate();
    }
    this.connections.clear();
    return n;
  }

  async close(): Promise<void> {
    clearInterval(this.expiryTimer);
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private expireDue(): void {
    const now = this.o.now();
    for (const k of [...this.keys.values()]) if (k.expiresAt <= now) this.expire(k);
  }

  private expire(k: ListenKey): void {
    this.keys.delete(k.key);
    if (this.byAccount.get(k.apiKey) === k) this.byAccount.delete(k.apiKey);
    const frame = listenKeyExpired(k.key, this.o.now());
    for (const c of this.connections) {
      if (c.listenKey !== k.key) continue;
      c.silence();
      c.pump.send(frame);
    }
  }
}
