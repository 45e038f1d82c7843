/**
 * Test-side Binance signing, written from the docs independently of the simulator and the client: SIGNED REST
 * (HMAC-SHA256 hex over query string + body) and WS API params (sorted `k=v&...`).
 */
import { createHmac } from 'node:crypto';
import type { Simulator } from '../../../src/testing/index.js';

export const KEY = 'venuekit-sim-key';
export const SECRET = 'venuekit-sim-secret';

export function hmac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export interface SignedCall {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface SignOptions {
  readonly key?: string | null;
  readonly secret?: string;
  /** Default: the venue clock now. */
  readonly timestamp?: number;
  readonly recvWindow?: string;
  /** Send the parameters as a form body (POST/DELETE/PUT) instead of the query string. */
  readonly inBody?: boolean;
  /** Replace the computed signature. */
  readonly signature?: string;
  readonly signal?: AbortSignal;
}

/** The query text `k=v&...` with `timestamp` (and `recvWindow`) appended, percent-encoded like URLSearchParams. */
export function paramText(params: Record<string, string>, sim: Simulator, o: SignOptions): string {
  const all: Record<string, string> = { ...params };
  if (o.recvWindow !== undefined) all['recvWindow'] = o.recvWindow;
  all['timestamp'] = String(o.timestamp ?? sim.faults.now());
  return new URLSearchParams(all).toString();
}

/** A SIGNED request the documented way. */
export async function signed(sim: Simulator, base: string, method: string, path: string, params: Record<string, string> = {}, o: SignOptions = {}): Promise<SignedCall> {
  const text = paramText(params, sim, o);
  const signature = o.signature ?? hmac(o.secret ?? SECRET, text);
  const full = `${text}&signature=${signature}`;
  const headers: Record<string, string> = {};
  if (o.key !== null) headers['X-MBX-APIKEY'] = o.key ?? KEY;
  let url = `${base}${path}`;
  let body: string | undefined;
  if (o.inBody === true) {
    body = full;
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else url += `?${full}`;
  const r = await fetch(url, { method, headers, body, signal: o.signal });
  const t = await r.text();
  return { status: r.status, headers: r.headers, body: JSON.parse(t) as unknown };
}

/** WS API params signed as the docs say: every param but `signature` sorted by name, `k=v&...`, HMAC hex. */
export function signWsParams(params: Record<string, string | number>, secret = SECRET): Record<string, string | number> {
  const payload = Object.keys(params)
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
  return { ...params, signature: hmac(secret, payload) };
}

/** Price text of a book level in units of the instrument (exact string building, no floats). */
export function unitsText(units: number, scale: number): string {
  const s = String(units).padStart(scale + 1, '0');
  return scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
}

/** Best bid and ask of a symbol as wire strings at the instrument's decimals, plus a far-from-market bid. */
export function touch(sim: Simulator, symbol: string): { bid: string; ask: string; farBid: string; minQty: string; step: number } {
  const inst = sim.market.instrument(symbol);
  const book = sim.market.book(symbol);
  const bid = book.bids.top(1)[0]?.[0] ?? 0;
  const ask = book.asks.top(1)[0]?.[0] ?? 0;
  const far = Math.floor((bid * 0.8) / inst.tickUnits) * inst.tickUnits;
  return { bid: unitsText(bid, inst.priceScale), ask: unitsText(ask, inst.priceScale), farBid: unitsText(far, inst.priceScale), minQty: unitsText(inst.minQtyUnits, inst.qtyScale), step: inst.stepUnits };
}
