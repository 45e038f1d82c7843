/**
 * The simulator's venue-neutral trading core over one venue's `Market`: accounts and API keys, a matching
 * engine (price-time priority, partial fills, market orders sweeping the book, IOC/FOK/post-only, cancels),
 * self-consistent balances and one-way positions, and the account events front ends turn into wire frames.
 */
import type { Market } from '../market.js';
import type { PlaceInput, SimAccountEvent, SimBalance, SimCredentials, SimFill, SimOrder, SimPosition } from './engine-types.js';
import { SimRejection } from './engine-types.js';

export interface SimTradingOptions {
  readonly market: Market;
  /** The venue's clock (the faults' skewed `now`). */
  readonly now: () => number;
  /** Fee rates as decimal strings (default maker `0.0002`, taker `0.0005`). */
  readonly makerFee?: string;
  readonly takerFee?: string;
  /** Default leverage of new positions (default 10). */
  readonly leverage?: number;
}

/** An account to create: its key and starting balances (`{ USDT: '100000', BTC: '2' }`). */
export interface SimAccountSpec extends SimCredentials {
  readonly balances?: Readonly<Record<string, string>>;
}

/** One venue's accounts, orders and matching. */
export class SimTradingEngine {
  constructor(readonly options: SimTradingOptions) {}

  /** Adds (or replaces) an account. */
  addAccount(_spec: SimAccountSpec): void {}

  /** The credentials of an API key, or undefined when the key is unknown (front ends verify signatures with it). */
  credentials(_apiKey: string): SimCredentials | undefined {
    return undefined;
  }

  /**
   * Places an order and matches it at once: the fills, the resting remainder and the account events happen
   * before this returns. @throws SimRejection for a refused order (nothing changes then).
   */
  place(_input: PlaceInput): { readonly order: SimOrder; readonly fills: readonly SimFill[] } {
    throw new SimRejection('unknown-order', 'not implemented');
  }

  /** Cancels an open order by id or client order id. @throws SimRejection `unknown-order` / `order-closed`. */
  cancel(_apiKey: string, _symbol: string, _ref: { readonly orderId?: string; readonly clientOrderId?: string }): SimOrder {
    throw new SimRejection('unknown-order', 'not implemented');
  }

  /** An order of the account (open or closed) by id or client order id. */
  order(_apiKey: string, _symbol: string, _ref: { readonly orderId?: string; readonly clientOrderId?: string }): SimOrder | undefined {
    return undefined;
  }

  /** The account's open orders, of one symbol or all, oldest first. */
  openOrders(_apiKey: string, _symbol?: string): SimOrder[] {
    return [];
  }

  /** Every order the account ever placed on a symbol (or all), oldest first. */
  orders(_apiKey: string, _symbol?: string): SimOrder[] {
    return [];
  }

  /** The account's fills, oldest first, optionally of one symbol and from `since` (ms, inclusive). */
  fills(_apiKey: string, _symbol?: string, _since?: number): SimFill[] {
    return [];
  }

  /** Every currency the account holds (free and locked). */
  balances(_apiKey: string): SimBalance[] {
    return [];
  }

  /** Positions of the account's derivatives instruments (flat ones included once traded). */
  positions(_apiKey: string): SimPosition[] {
    return [];
  }

  /** Account events as they happen, for one key; returns the unsubscribe function. */
  listen(_apiKey: string, _listener: (event: SimAccountEvent) => void): () => void {
    return () => undefined;
  }

  /** Stops following the market. */
  close(): void {}
}
