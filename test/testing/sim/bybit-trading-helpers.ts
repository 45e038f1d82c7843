/** Helpers for the Bybit trading front-end tests: their own v5 request signing (node:crypto, per the docs) and prices. */
import { createHmac } from 'node:crypto';
import { formatScaled } from '../../../src/core/decimal.js';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { WsProbe } from './sim-helpers.js';

export const KEY = 'venuekit-sim-key';
export const SECRET = 'venuekit-sim-secret';

export interface SignOptions {
  readonly key?: string;
  readonly secret?: string;
  readonly timestamp?: number;
  readonly recvWindow?: string;
}

export interface Answer {
  readonly status: number;
  readonly body: { retCode: number; retMsg: string; result: Record<string, unknown>; retExtInfo: unknown; time: number };
}

const hex = (secret: string, text: string): string => createHmac('sha256', secret).update(text).digest('hex');

/** The four v5 auth headers for `payload` (query string or body). */
export function signedHeadersFor(payload: string, o: SignOptions = {}): Record<string, string> {
  const ts = String(o.timestamp ?? Date.now());
  const key = o.key ?? KEY;
  const rw = o.recvWindow ?? '5000';
  return { 'X-BAPI-API-KEY': key, 'X-BAPI-TIMESTAMP': ts, 'X-BAPI-RECV-WINDOW': rw, 'X-BAPI-SIGN': hex(o.secret ?? SECRET, ts + key + rw + payload) };
}

/** A signed GET: the string signed is timestamp + key + recvWindow + the query string exactly as sent. */
export async function signedGet(base: string, path: string, query: string, o: SignOptions = {}): Promise<Answer> {
  const r = await fetch(`${base}${path}?${query}`, { headers: signedHeadersFor(query, o) });
  return { status: r.status, body: JSON.parse(await r.text()) as Answer['body'] };
}

/** A signed POST: the string signed is timestamp + key + recvWindow + the raw JSON body. */
export async function signedPost(base: string, path: string, body: unknown, o: SignOptions = {}): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const r = await fetch(`${base}${path}`, { method: 'POST', body: text, headers: { ...signedHeadersFor(text, o), 'Content-Type': 'application/json' } });
  return { status: r.status, body: JSON.parse(await r.text()) as Answer['body'] };
}

/** A simulator serving Bybit whose books only move when the test steps them. */
export function startBybitSim(): Promise<Simulator> {
  return startSimulator({ seed: 7, tickMs: 0, symbols: 2, venues: ['binance', 'bybit'] });
}

export function restBase(sim: Simulator): string {
  return (sim.endpoints.bybit as { rest: string }).rest;
}

/** Best bid / ask of a Bybit book and price/qty strings in its instrument's scales. */
export function quotes(sim: Simulator, symbol: string): { bid: number; ask: number; price: (units: number) => string; qty: (units: number) => string; minQty: number; tick: number } {
  const market = sim.marketOf('bybit');
  const i = market.instrument(symbol);
  const snap = market.snapshot(symbol, 1);
  return {
    bid: (snap.bids[0] as readonly [number, number])[0],
    ask: (snap.asks[0] as readonly [number, number])[0],
    price: (u) => formatScaled(u, i.priceScale),
    qty: (u) => formatScaled(u, i.qtyScale),
    minQty: Math.max(i.minQtyUnits, i.stepUnits),
    tick: i.tickUnits,
  };
}

/** A private-stream probe that has logged in (and subscribed to `topics` when given). */
export async function privateProbe(sim: Simulator, topics: readonly string[] = ['order', 'execution', 'position', 'wallet']): Promise<WsProbe> {
  const p = new WsProbe((sim.endpoints.bybit as { ws: { private: string } }).ws.private);
  await p.opened();
  const expires = Date.now() + 10_000;
  p.send({ req_id: 'a1', op: 'auth', args: [KEY, expires, hex(SECRET, `GET/realtime${expires}`)] });
  await p.next((f) => f['op'] === 'auth' && f['success'] === true, 'auth ok');
  if (topics.length > 0) {
    p.send({ req_id: 's1', op: 'subscribe', args: topics });
    await p.next((f) => f['op'] === 'subscribe' && f['success'] === true, 'subscribed');
  }
  return p;
}

export function wsSignature(secret: string, expires: number | string): string {
  return hex(secret, `GET/realtime${expires}`);
}
