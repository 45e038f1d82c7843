/**
 * Test helpers for argument checks against the simulator: one client per venue pointed at it, and an assertion
 * that a call is refused with `invalid-argument` naming its field and allowed values while nothing reached the
 * venue (the simulator's REST, connection and subscription counters and its order book of the account).
 */
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { bybit } from '../../src/client/bybit.js';
import type { Exchange } from '../../src/client/exchange.js';
import { okx } from '../../src/client/okx.js';
import { VenueError } from '../../src/core/errors.js';
import type { VenueId } from '../../src/core/model.js';
import { SIM_DEMO_ACCOUNT } from '../../src/testing/sim/server.js';
import type { Simulator } from '../../src/testing/sim/server.js';

export const VENUES: readonly VenueId[] = ['binance', 'bybit', 'okx'];

/** A client of `venue` on the simulator with the demo account; no clock sync, so it sends nothing by itself. */
export function connect(sim: Simulator, venue: VenueId): Exchange {
  const common = { credentials: SIM_DEMO_ACCOUNT, clockSync: false } as const;
  if (venue === 'binance') return binance({ urls: sim.endpoints.binance, ...common });
  if (venue === 'bybit') return bybit({ urls: sim.endpoints.bybit as NonNullable<Simulator['endpoints']['bybit']>, ...common });
  return okx({ urls: sim.endpoints.okx as NonNullable<Simulator['endpoints']['okx']>, ...common });
}

/** Everything the venues have received so far: REST requests, connections, subscriptions, orders of the demo account. */
export function received(sim: Simulator): { rest: number; connections: number; subscriptions: number; orders: number } {
  const s = sim.stats;
  return {
    rest: Object.values(s.rest).reduce((n, r) => n + r.total, 0),
    connections: Object.values(s.connections).reduce((n, c) => n + c.accepted, 0),
    subscriptions: Object.values(s.subscriptions).reduce((n, c) => n + c, 0),
    orders: VENUES.reduce((n, v) => n + sim.tradingOf(v).orders(SIM_DEMO_ACCOUNT.apiKey).length, 0),
  };
}

/** Runs `call` (a promise, a value, or a watch whose first `next()` is awaited) and returns what it threw. */
async function thrownBy(call: () => unknown): Promise<unknown> {
  try {
    const r = call();
    if (r instanceof Promise) await r;
    else if (typeof r === 'object' && r !== null && 'finished' in r) {
      const w = r as unknown as AsyncIterator<unknown>;
      try {
        await w.next();
      } finally {
        await w.return?.();
      }
    }
  } catch (err) {
    return err;
  }
  return undefined;
}

/**
 * Asserts that `call` fails with `invalid-argument` whose message matches every pattern (the field, the allowed
 * values), and that the simulator received nothing and the client tracks no new order meanwhile.
 */
export async function assertRefused(sim: Simulator, ex: Exchange | undefined, what: string, call: () => unknown, ...says: RegExp[]): Promise<void> {
  const before = received(sim);
  const tracked = ex?.orders().length ?? 0;
  const err = await thrownBy(call);
  assert.ok(VenueError.is(err, 'invalid-argument'), `${what}: expected invalid-argument, got ${err instanceof Error ? `${(err as VenueError).code ?? err.name}: ${err.message}` : String(err)}`);
  for (const re of says) assert.match(err.message, re, `${what}: the message names the field and what it allows`);
  // A stray request would have landed by now: the simulator answers on the same loop within milliseconds.
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(received(sim), before, `${what}: nothing reached the venue`);
  assert.equal(ex?.orders().length ?? 0, tracked, `${what}: no order is tracked`);
}
