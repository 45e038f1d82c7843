/**
 * The types of the simulator's venue-neutral trading core: accounts, orders, fills, balances, positions and
 * the account events the venue front ends turn into their own wire frames. Prices and sizes of orders are
 * integer units of the instrument (`10^-priceScale`, `10^-qtyScale`), money (balances, fees, PnL) is `Decimal`.
 */
import type { Decimal } from '../../../core/decimal.js';

export type SimSide = 'buy' | 'sell';
export type SimOrderType = 'limit' | 'market';
/** `GTX` = post-only (rejected or expired if it would take). */
export type SimTimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX';
export type SimOrderStatus = 'new' | 'partially-filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

/** Why the engine refused a request; front ends map each to the venue's own error code and body. */
export type SimRejectReason =
  | 'unknown-symbol'
  | 'invalid-quantity'
  | 'invalid-price'
  | 'insufficient-balance'
  | 'duplicate-client-order-id'
  | 'unknown-order'
  | 'order-closed'
  | 'post-only-would-take'
  | 'fok-unfillable'
  | 'no-liquidity'
  | 'reduce-only-would-increase';

/** An API key the simulator accepts. */
export interface SimCredentials {
  readonly apiKey: string;
  readonly secret: string;
  /** OKX. */
  readonly passphrase?: string;
}

export interface PlaceInput {
  readonly apiKey: string;
  /** Unified symbol of the market's instrument (`BTC/USDT`, `BTC/USDT:USDT`). */
  readonly symbol: string;
  readonly side: SimSide;
  readonly type: SimOrderType;
  readonly qtyUnits: number;
  /** Limit price in price units; absent for market orders. */
  readonly priceUnits?: number | undefined;
  /** Default GTC for limit, IOC for market. */
  readonly timeInForce?: SimTimeInForce | undefined;
  readonly reduceOnly?: boolean | undefined;
  /** Unique per account among open orders (front ends generate one when the client gave none). */
  readonly clientOrderId: string;
}

export interface SimFill {
  /** Unique per engine, increasing. */
  readonly tradeId: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: SimSide;
  readonly priceUnits: number;
  readonly qtyUnits: number;
  /** Fee charged, in `feeCurrency` (spot: the currency received; derivatives: the settlement currency). */
  readonly fee: Decimal;
  readonly feeCurrency: string;
  readonly liquidity: 'maker' | 'taker';
  readonly time: number;
}

/** An order as the engine holds it. A fresh object after every change (never mutated after it is handed out). */
export interface SimOrder {
  /** Decimal string, unique per engine and increasing. */
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly apiKey: string;
  readonly symbol: string;
  readonly side: SimSide;
  readonly type: SimOrderType;
  readonly timeInForce: SimTimeInForce;
  readonly reduceOnly: boolean;
  readonly priceUnits?: number;
  readonly qtyUnits: number;
  readonly filledUnits: number;
  /** Sum of price × qty over the fills, exact, in quote currency (contract value for derivatives is not applied). */
  readonly cumQuote: Decimal;
  readonly status: SimOrderStatus;
  readonly rejectReason?: SimRejectReason;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SimBalance {
  readonly currency: string;
  readonly free: Decimal;
  readonly locked: Decimal;
}

/** A one-way-mode position of a derivatives instrument. */
export interface SimPosition {
  readonly symbol: string;
  /** Signed size in qty units: > 0 long, < 0 short, 0 flat. */
  readonly sizeUnits: number;
  /** Average entry price (exact), zero when flat. */
  readonly entryPrice: Decimal;
  /** Mid price of the book (exact). */
  readonly markPrice: Decimal;
  readonly unrealizedPnl: Decimal;
  readonly realizedPnl: Decimal;
  readonly leverage: number;
  readonly marginMode: 'cross' | 'isolated';
  /** Margin held for the position, in the settlement currency. */
  readonly margin: Decimal;
  readonly updatedAt: number;
}

/** What changed on an account, in the order it happened. One place or cancel may emit several. */
export type SimAccountEvent =
  /** The order after a change; `fill` is the execution that caused it, if one did. */
  | { readonly kind: 'order'; readonly order: SimOrder; readonly fill?: SimFill }
  | { readonly kind: 'balance'; readonly balances: readonly SimBalance[]; readonly time: number }
  | { readonly kind: 'position'; readonly position: SimPosition };

/** Thrown by the engine for a refused request. */
export class SimRejection extends Error {
  constructor(
    readonly reason: SimRejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'SimRejection';
  }
}
