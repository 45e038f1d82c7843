/** Shared set-up of the trading-engine tests: a still market with hand-made books, an engine, units helpers. */
import { Decimal } from '../../../src/core/decimal.js';
import { derivativesCatalogue, Market, SimTradingEngine, type InstrumentSpec, type SimAccountEvent } from '../../../src/testing/index.js';

export const A = 'key-a';
export const B = 'key-b';
export const C = 'key-c';
export const START = { USDT: '100000', BTC: '2', USDC: '0', TST: '1000' } as const;

const TEST_SPEC: InstrumentSpec = { symbol: 'TST/USDT', kind: 'spot', base: 'TST', quote: 'USDT', tickSize: '0.05', stepSize: '0.5', minQty: '1.0', maxQty: '1000', minNotional: '0', price: '10.00', typicalQty: '2' };

export interface Rig {
  readonly market: Market;
  readonly engine: SimTradingEngine;
  readonly events: Map<string, SimAccountEvent[]>;
  clock: number;
}

/** A market that never moves by itself, an engine over it, accounts A, B, C with `START` balances, their events recorded. */
export function rig(balances: Readonly<Record<string, string>> = START): Rig {
  const catalogue = [...derivativesCatalogue(Date.UTC(2026, 0, 1)), TEST_SPEC];
  const market = new Market({ tickMs: 0, warmupSteps: 0, depth: 20, symbols: ['BTC/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC', 'TST/USDT'], catalogue, seed: 3 });
  const r: Rig = { market, engine: undefined as unknown as SimTradingEngine, events: new Map(), clock: 1_000 };
  const engine = new SimTradingEngine({ market, now: () => r.clock });
  (r as { engine: SimTradingEngine }).engine = engine;
  for (const apiKey of [A, B, C]) {
    engine.addAccount({ apiKey, secret: `secret-${apiKey}`, balances });
    const list: SimAccountEvent[] = [];
    r.events.set(apiKey, list);
    engine.listen(apiKey, (e) => list.push(e));
  }
  return r;
}

/** Replaces a symbol's book with hand-made levels given as decimal strings `[price, qty]`, best first. */
export function setBook(r: Rig, symbol: string, bids: ReadonlyArray<readonly [string, string]>, asks: ReadonlyArray<readonly [string, string]>): void {
  const inst = r.market.instrument(symbol);
  const level = ([p, q]: readonly [string, string]): [number, number] => [px(r, symbol, p), Number(Decimal.from(q).toScaledBigInt(inst.qtyScale))];
  r.market.replaceBook(symbol, { updateId: r.market.book(symbol).updateId, bids: bids.map(level), asks: asks.map(level) });
}

/** Price units of a decimal string on `symbol`. */
export function px(r: Rig, symbol: string, price: string): number {
  return Number(Decimal.from(price).toScaledBigInt(r.market.instrument(symbol).priceScale));
}

/** Quantity units of a decimal string on `symbol`. */
export function qty(r: Rig, symbol: string, q: string): number {
  return Number(Decimal.from(q).toScaledBigInt(r.market.instrument(symbol).qtyScale));
}

/** A decimal's canonical text (trailing zeros dropped) for exact comparisons. */
export function d(x: Decimal | string): string {
  return Decimal.from(x).normalize().toString();
}

export function free(r: Rig, apiKey: string, currency: string): string {
  const b = r.engine.balances(apiKey).find((x) => x.currency === currency);
  return d(b?.free ?? Decimal.ZERO);
}

export function locked(r: Rig, apiKey: string, currency: string): string {
  const b = r.engine.balances(apiKey).find((x) => x.currency === currency);
  return d(b?.locked ?? Decimal.ZERO);
}

/** The public book's levels as decimal strings, best first. */
export function levels(r: Rig, symbol: string, side: 'bids' | 'asks'): string[] {
  const inst = r.market.instrument(symbol);
  return r.market
    .book(symbol)
    .side(side)
    .top()
    .map(([p, q]) => `${d(Decimal.fromScaled(p, inst.priceScale))}x${d(Decimal.fromScaled(q, inst.qtyScale))}`);
}
