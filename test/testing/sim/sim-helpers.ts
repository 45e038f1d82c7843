/** Helpers for the simulator tests: plain `ws` clients with a message queue, JSON shape comparison, a Binance-procedure local book. */
import { WebSocket } from 'ws';
import { waitFor } from '../../helpers/wait.js';

/** A plain WebSocket client that records every text frame. */
export class WsProbe {
  readonly ws: WebSocket;
  readonly frames: unknown[] = [];
  closed: { code: number; reason: string } | undefined;
  pings = 0;

  constructor(url: string, options: { autoPong?: boolean } = {}) {
    this.ws = new WebSocket(url, { autoPong: options.autoPong ?? true });
    this.ws.on('message', (data) => this.frames.push(JSON.parse(data.toString())));
    this.ws.on('ping', () => this.pings++);
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    this.ws.on('error', () => {
      // surfaces as 'close'
    });
  }

  async opened(): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) return;
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  /** Waits for a frame matching `pred` that arrived after index `from`; returns it. */
  async next<T = Record<string, unknown>>(pred: (f: Record<string, unknown>) => boolean, what: string, timeoutMs = 5000, from = 0): Promise<T> {
    return (await waitFor(() => this.frames.slice(from).find((f) => pred(f as Record<string, unknown>)), what, timeoutMs)) as T;
  }

  /** Data payloads (combined frames unwrapped) whose `e` equals `event`. */
  events(event: string): Array<Record<string, unknown>> {
    return this.frames.map((f) => unwrap(f)).filter((d) => d['e'] === event);
  }

  close(): void {
    this.ws.terminate();
  }
}

export function unwrap(frame: unknown): Record<string, unknown> {
  const f = frame as Record<string, unknown>;
  return typeof f['stream'] === 'string' && typeof f['data'] === 'object' ? (f['data'] as Record<string, unknown>) : f;
}

/** A JSON value's shape: object keys (in order) with their shapes, arrays by their first element, leaves by type. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? ['empty'] : [shape(value[0])];
  if (value === null) return 'null';
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]));
  if (typeof value === 'string') return /^-?\d+(\.\d+)?$/.test(value) ? 'decimal-string' : 'string';
  return typeof value;
}

/** Keys of an object, sorted (for key-set comparisons where the venue's own order varies). */
export function keySet(value: unknown): string[] {
  return Object.keys(value as Record<string, unknown>).sort();
}

export async function getJson(url: string): Promise<{ status: number; headers: Headers; body: unknown }> {
  const r = await fetch(url);
  return { status: r.status, headers: r.headers, body: JSON.parse(await r.text()) as unknown };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const r = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: r.status, body: JSON.parse(await r.text()) as unknown };
}

type Levels = Array<[string, string]>;
const ZERO = /^0(\.0*)?$/;

function setLevel(side: Map<string, string>, price: string, qty: string): void {
  if (ZERO.test(qty)) side.delete(price);
  else side.set(price, qty);
}

/**
 * A local book kept the documented Binance way: buffered deltas, a REST snapshot, then the alignment and
 * continuity rules (spot `U == u + 1`; USD-M `pu == u`). Throws on a sequence break.
 */
export class BinanceLocalBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  lastId = -1;
  applied = 0;

  constructor(private readonly usdm: boolean) {}

  load(snapshot: { lastUpdateId: number; bids: Levels; asks: Levels }): void {
    for (const [p, q] of snapshot.bids) this.bids.set(p, q);
    for (const [p, q] of snapshot.asks) this.asks.set(p, q);
    this.lastId = snapshot.lastUpdateId;
  }

  /** Applies one buffered or live event; returns false when it was skipped as already covered. */
  apply(e: Record<string, unknown>, first: boolean): boolean {
    const U = e['U'] as number;
    const u = e['u'] as number;
    if (this.usdm) {
      if (u < this.lastId) return false;
      if (first ? !(U <= this.lastId && u >= this.lastId) : e['pu'] !== this.lastId) throw new Error(`USD-M sequence break: U=${U} u=${u} pu=${String(e['pu'])} last=${this.lastId}`);
    } else {
      if (u <= this.lastId) return false;
      if (first ? !(U <= this.lastId + 1 && u >= this.lastId + 1) : U !== this.lastId + 1) throw new Error(`spot sequence break: U=${U} u=${u} last=${this.lastId}`);
    }
    for (const [p, q] of e['b'] as Levels) setLevel(this.bids, p, q);
    for (const [p, q] of e['a'] as Levels) setLevel(this.asks, p, q);
    this.lastId = u;
    this.applied++;
    return true;
  }

  /** Levels best first, as `[price, qty]` strings. */
  sorted(side: 'bids' | 'asks'): Levels {
    const m = side === 'bids' ? this.bids : this.asks;
    // Prices in one book share their decimals, so comparing as decimals via BigInt of the digits is exact.
    const key = (p: string): bigint => BigInt(p.replace('.', ''));
    return [...m.entries()].sort((a, b) => {
      const d = key(a[0]) - key(b[0]);
      return side === 'bids' ? (d > 0n ? -1 : d < 0n ? 1 : 0) : d < 0n ? -1 : d > 0n ? 1 : 0;
    });
  }
}
