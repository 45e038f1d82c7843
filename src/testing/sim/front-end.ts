/**
 * What every simulator venue front end (Binance spot / USD-M, Bybit, OKX) offers the `Simulator` and the
 * control server, so neither special-cases a venue: identity, endpoints, counters, listed symbols, venue faults.
 */
import type { Market } from './market.js';

/** Venues the simulator can serve. */
export type SimVenue = 'binance' | 'bybit' | 'okx';

/** Every venue, in port order (`portBase` +1.. after the control server). */
export const SIM_VENUES: readonly SimVenue[] = ['binance', 'bybit', 'okx'];

/** Connection, subscription and REST counters of one front end. */
export interface SimFrontEndCounters {
  readonly connections: { open: number; accepted: number; closedByServer: Record<string, number> };
  readonly subscriptions: number;
  readonly rest: { total: number; byRoute: Record<string, number>; byStatus: Record<string, number> };
}

/** One instrument a front end lists: its venue id, unified symbol and segment (`spot`, `linear`, `SWAP`...). */
export interface ListedSymbol {
  readonly id: string;
  readonly symbol: string;
  readonly segment: string;
}

/**
 * A fault request body for `POST /_sim/faults`. Generic `type`s: `drop`, `gap`, `stall`, `delay`, `rest-error`,
 * `clock-skew`, `server-shutdown`, `clear`; any other type goes to the front ends of `venue` (e.g. Bybit
 * `bybit-restart`, `bybit-resnapshot`). Other fields as the matching method takes them.
 */
export interface FaultRequest {
  readonly type: string;
  readonly venue?: string;
  readonly segment?: string;
  readonly symbol?: string;
  readonly ms?: number;
  readonly status?: number;
  readonly count?: number;
  readonly retryAfterSec?: number;
  readonly closeAfterMs?: number;
  /** Venue-specific extras. */
  readonly [extra: string]: unknown;
}

/** A running venue front end (one HTTP + WebSocket server on 127.0.0.1). */
export interface SimFrontEnd {
  readonly venue: SimVenue;
  /** Key in `sim.stats` and `/_sim/state`: `binance:spot`, `binance:usdm`, `bybit`, `okx`. */
  readonly name: string;
  /** Segments served (fault scopes use them): Binance `spot`|`usdm`, Bybit `spot`,`linear`,`inverse`. */
  readonly segments: readonly string[];
  /** The venue's market (one `Market` per venue). */
  readonly market: Market;
  /** The URLs clients use (shape per venue; see `SimulatorEndpoints`). */
  readonly endpoints: unknown;
  counters(): SimFrontEndCounters;
  listedSymbols(): readonly ListedSymbol[];
  /**
   * Applies a venue-specific control fault; returns what it did, or `undefined` when `request.type` is not
   * one of this front end's (the control server then answers 400).
   */
  applyFault?(request: FaultRequest): unknown;
  /** Terminates every private (account) stream connection without a close frame; returns how many. */
  dropPrivateStreams?(): number;
  close(): Promise<void>;
}
