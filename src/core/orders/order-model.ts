/**
 * The normalized trading types: order requests, orders, fills and the venue reports that update them.
 * Every quantity and price is a `Decimal`; venue ids are strings.
 */
import type { Decimal } from '../decimal.js';
import type { Side, VenueId } from '../model.js';
import type { DecodeProblem } from '../problems.js';

export type OrderType = 'limit' | 'market';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

/**
 * The one normalized lifecycle. `pending-new` (sent, not yet acknowledged) and `pending-cancel` (cancel sent,
 * not yet confirmed) are local states; the rest are what the venue says.
 */
export type OrderStatus = 'pending-new' | 'new' | 'partially-filled' | 'filled' | 'pending-cancel' | 'cancelled' | 'rejected' | 'expired';

/** What the venue can report about an order (never the local `pending-*` states). */
export type ReportedStatus = 'new' | 'partially-filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export interface OrderRequest {
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Base quantity (contracts on venues that size derivatives in contracts). */
  readonly amount: Decimal;
  /** Required for limit orders. */
  readonly price?: Decimal;
  readonly timeInForce?: TimeInForce;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  /** Generated to the venue's rules when absent. */
  readonly clientOrderId?: string;
}

/** One execution of an order, deduplicated by the venue's trade/execution id. */
export interface Fill {
  readonly venue: VenueId;
  readonly symbol: string;
  /** Venue trade or execution id: the deduplication key. */
  readonly tradeId: string;
  readonly orderId?: string | undefined;
  readonly clientOrderId?: string | undefined;
  readonly side: Side;
  readonly price: Decimal;
  readonly amount: Decimal;
  /** Fee charged (positive) or rebated (negative), in `feeCurrency`. */
  readonly fee?: Decimal | undefined;
  readonly feeCurrency?: string | undefined;
  readonly liquidity?: 'maker' | 'taker' | undefined;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

/** A venue's statement about one order, from a REST response or a private stream event. */
export interface OrderReport {
  readonly venue: VenueId;
  readonly symbol: string;
  readonly orderId?: string | undefined;
  readonly clientOrderId?: string | undefined;
  readonly status: ReportedStatus;
  /** Cumulative filled quantity as the venue counts it. */
  readonly filled?: Decimal | undefined;
  /** Average fill price, when the venue says. */
  readonly average?: Decimal | undefined;
  readonly side?: Side | undefined;
  readonly type?: OrderType | undefined;
  readonly price?: Decimal | undefined;
  readonly amount?: Decimal | undefined;
  readonly timeInForce?: TimeInForce | undefined;
  readonly postOnly?: boolean | undefined;
  readonly reduceOnly?: boolean | undefined;
  /** A fill carried by the same event (Binance executionReport, OKX orders push). */
  readonly fill?: Fill | undefined;
  /** Several fills carried by one answer (a Binance spot `FULL` place response). */
  readonly fills?: readonly Fill[] | undefined;
  /** Venue's reason text for a rejection or cancellation. */
  readonly reason?: string | undefined;
  /**
   * The venue's own status when `status` does not say all of it: a status venuekit does not know (then `status`
   * is what the quantities prove: `new`, promoted by the fills) or a documented special one (Binance USD-M
   * `NEW_ADL`, `NEW_INSURANCE`: a liquidation order at work, `new`).
   */
  readonly venueStatus?: string | undefined;
  /** The venue's own order type when `type` does not say all of it (a trigger order, a type venuekit does not know). */
  readonly venueType?: string | undefined;
  /** Oddities met while reading the report (an unknown value passed through, a field left out); reported as `problem` events. */
  readonly problems?: readonly DecodeProblem[] | undefined;
  readonly exchangeTime: number;
  readonly receivedAt: number;
  readonly source: 'rest' | 'stream';
}

/** An order as venuekit believes it to be. Immutable: every change yields a new object. */
export interface Order {
  readonly venue: VenueId;
  readonly symbol: string;
  /** Venue order id, once known. */
  readonly id?: string;
  readonly clientOrderId?: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly price?: Decimal;
  readonly amount: Decimal;
  readonly timeInForce?: TimeInForce;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly status: OrderStatus;
  readonly filled: Decimal;
  /** `amount − filled` in every state, as in ccxt: a cancelled or expired order keeps its unfilled part here. */
  readonly remaining: Decimal;
  readonly average?: Decimal;
  /** Fee sums by currency over the fills seen. */
  readonly fees: Readonly<Record<string, Decimal>>;
  /** Fills seen, in arrival order, each once. */
  readonly fills: readonly Fill[];
  /**
   * True while a place or cancel failed ambiguously (timeout, 5xx): the venue may or may not have acted.
   * Resolved by a query or by the private stream; never by resending.
   */
  readonly outcomeUnknown: boolean;
  readonly reason?: string;
  /** The venue's own status, from the newest report that changed the order, when its unified `status` does not say all of it. */
  readonly venueStatus?: string;
  /** The venue's own order type when `type` does not say all of it (a trigger order, a type venuekit does not know). */
  readonly venueType?: string;
  readonly createdAt: number;
  /** Exchange time of the newest report applied. */
  readonly updatedAt: number;
}
