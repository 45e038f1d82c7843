/**
 * The contract a venue implements for trading and account data: request builders and pure parsers for orders,
 * fills, balances and positions, and the dialect of its private stream (prepare, login, subscribe, events).
 * Pure data and functions: the core's `PrivateSession` and the client's order tracker carry them out.
 */
import type { Decimal } from './decimal.js';
import type { VenueError } from './errors.js';
import type { Fill, OrderReport, OrderRequest } from './orders/order-model.js';
import type { Market, VenueId } from './model.js';
import type { DecodeProblem } from './problems.js';
import type { Credentials, HeartbeatRule, RateLimitRule, RestRequest } from './venue.js';

/** Which order a cancel or query means: the venue's id, the client order id, or both. */
export interface OrderRef {
  readonly id?: string;
  readonly clientOrderId?: string;
}

/** One currency of one account. `total = free + used`. */
export interface BalanceEntry {
  readonly currency: string;
  readonly free: Decimal;
  /** Locked in open orders or as margin. */
  readonly used: Decimal;
  readonly total: Decimal;
}

/** The balances of one venue account (`spot`, `usdm`, `unified`, `trading`...). */
export interface Balances {
  readonly venue: VenueId;
  readonly account: string;
  /** By currency code. A stream update with `partial: true` carries only the currencies that changed. */
  readonly balances: Readonly<Record<string, BalanceEntry>>;
  readonly partial: boolean;
  /** Oddities met while reading (a field left out); reported as `problem` events. */
  readonly problems?: readonly DecodeProblem[];
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

export type PositionSide = 'long' | 'short' | 'flat';
export type MarginMode = 'cross' | 'isolated';

/** A derivatives position (one-way mode, or one leg of hedge mode). Sizes in the market's amount unit. */
export interface Position {
  readonly venue: VenueId;
  readonly symbol: string;
  readonly side: PositionSide;
  /** Absolute size (contracts on contract markets); zero when flat. */
  readonly contracts: Decimal;
  readonly entryPrice?: Decimal | undefined;
  readonly markPrice?: Decimal | undefined;
  readonly unrealizedPnl?: Decimal | undefined;
  readonly realizedPnl?: Decimal | undefined;
  readonly leverage?: Decimal | undefined;
  readonly marginMode?: MarginMode | undefined;
  readonly liquidationPrice?: Decimal | undefined;
  /** Hedge-mode leg, when the venue runs one (`LONG`/`SHORT`); undefined in one-way mode. */
  readonly hedgeSide?: 'long' | 'short' | undefined;
  /** Oddities met while reading (an unknown margin mode left out); reported as `problem` events. */
  readonly problems?: readonly DecodeProblem[] | undefined;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

/** Maps a venue market id seen on a private stream or in a list (with its segment when the venue says) to a market. */
export type MarketResolver = (id: string, segment?: string) => Market | undefined;

/** What a private stream event means once parsed. */
export type PrivateEvent =
  | { readonly kind: 'order'; readonly report: OrderReport }
  /** An execution reported on its own (Bybit `execution`); venues that carry the fill on the order report use `order`. */
  | { readonly kind: 'fill'; readonly fill: Fill }
  | { readonly kind: 'balance'; readonly balances: Balances }
  | { readonly kind: 'position'; readonly position: Position }
  /**
   * Something in the payload that became no record: a row left out (an execution of unknown type, a zero
   * quantity), or a fill delivered on its own because the rest of its order report could not be read.
   */
  | { readonly kind: 'problem'; readonly problem: DecodeProblem };

/** What an inbound private frame is, as far as the core needs to know. */
export type PrivateInbound =
  /** The answer to the login step (Binance `userDataStream.subscribe.signature`, Bybit `auth`, OKX `login`). */
  | { readonly role: 'login-ack'; readonly error?: VenueError }
  /** The answer to one subscribe frame. */
  | { readonly role: 'subscribe-ack'; readonly error?: VenueError }
  | { readonly role: 'event'; readonly payload: unknown }
  | { readonly role: 'pong' }
  /** The venue ended the stream (Binance `listenKeyExpired`, `eventStreamTerminated`): prepare and connect anew. */
  | { readonly role: 'expired' }
  /** The venue announced it will close this connection: reconnect now. */
  | { readonly role: 'shutdown' }
  /**
   * The venue ended a subscription of this stream while the connection stays open (OKX `channel-conn-count-error`):
   * its events stop, so the session reports `error`, is down, and starts over as after any loss (paced by its backoff;
   * the next `ready` is a reconnect, so the caller reconciles).
   */
  | { readonly role: 'unsubscribed'; readonly error: VenueError }
  /** The venue reports a fault tied to no request that leaves the stream whole: reported as a problem, the session goes on. */
  | { readonly role: 'error'; readonly error: VenueError }
  /** A frame the venue documents as carrying nothing to act on (an unsubscribe ack, a connection-count notice). */
  | { readonly role: 'ignore' }
  /** A frame the dialect cannot make sense of: counted and reported as a `decode` problem; `reason` says why. */
  | { readonly role: 'unknown'; readonly reason: string };

/** A REST call that must come before connecting (Binance USD-M listenKey), and its keep-alive. */
export interface PrivatePreparation {
  readonly request: RestRequest;
  /** The token the URL needs (the listenKey). */
  parse(body: unknown): string;
  /** Repeated every `intervalMs` while the stream is up (listenKey `PUT`). */
  readonly keepAlive?: { request(token: string): RestRequest; readonly intervalMs: number };
}

/** A venue's private WebSocket dialect. Pure: no socket, no timer. */
export interface PrivateStreamDialect {
  /** The private connections the venue needs (Binance `spot`, `usdm`; Bybit and OKX `private`). */
  readonly connections: readonly string[];
  /** The REST step before connecting, when the venue has one. */
  prepare?(connection: string): PrivatePreparation | undefined;
  /** The URL to connect to; `token` is what `prepare` gave. */
  url(connection: string, token: string | undefined): string;
  /**
   * Frames that authenticate, sent as soon as the socket opens; the session waits for one `login-ack` (none when
   * empty: the URL itself authenticates). `timestampMs` is venue time.
   */
  loginFrames(connection: string, credentials: Credentials, timestampMs: number, nextId: () => number): string[];
  /** Frames that subscribe the account's channels, sent after the login ack; one `subscribe-ack` awaited each. */
  subscribeFrames(connection: string, nextId: () => number): string[];
  decode(text: string): unknown;
  /** What a decoded frame is; only frames the venue documents as harmless are `ignore`, others it cannot place `unknown`. */
  classify(connection: string, frame: unknown, text: string): PrivateInbound;
  heartbeat(connection: string): HeartbeatRule;
  maxOutgoingPerSecond(connection: string): number;
  /** The largest inbound message accepted, in bytes (see `ConnectionLimits.maxFrameBytes`). */
  maxFrameBytes(connection: string): number;
  /** The events one `event` payload carries (one frame may hold several orders or balances). */
  parseEvents(connection: string, payload: unknown, resolve: MarketResolver, receivedAt: number): PrivateEvent[];
}

/** A venue's trading and account surface, as data and pure functions. */
export interface TradingAdapter {
  readonly venue: VenueId;

  /**
   * Order-rate and per-endpoint limits the trading requests draw from, where the venue does not announce them
   * (OKX per-uid windows, Bybit's default order rates); they join the REST governor of the same host.
   */
  readonly staticRateLimits?: readonly RateLimitRule[];

  /** A fresh client order id the venue accepts (its length and charset rules). */
  newClientOrderId(): string;
  /** Why a user-given client order id breaks the venue's rules, or undefined when it is fine. */
  clientOrderIdProblem(id: string): string | undefined;

  /** Place an order (`command: true`: never retried blindly). */
  createOrderRequest(market: Market, order: OrderRequest, clientOrderId: string): RestRequest;
  /**
   * What the place response says. Venues that answer with ids only (Bybit, OKX) report `new`: the state machine
   * never moves an order back, so a fill already seen on the stream stands.
   */
  parseCreateOrder(body: unknown, market: Market, receivedAt: number): OrderReport;
  cancelOrderRequest(market: Market, ref: OrderRef): RestRequest;
  /** The cancelled order, or undefined when the venue only accepted the cancel (the tracker then queries it). */
  parseCancelOrder(body: unknown, market: Market, receivedAt: number): OrderReport | undefined;
  fetchOrderRequest(market: Market, ref: OrderRef): RestRequest;
  parseOrder(body: unknown, market: Market, receivedAt: number): OrderReport;
  openOrdersRequest(market: Market): RestRequest;
  parseOpenOrders(body: unknown, market: Market, receivedAt: number): OrderReport[];
  /** The account's own trades on a market, oldest first when the venue allows it. */
  myTradesRequest(market: Market, opts: { readonly since?: number; readonly limit?: number }): RestRequest;
  parseMyTrades(body: unknown, market: Market, receivedAt: number): Fill[];

  /** Accounts that hold balances (Binance `spot`, `usdm`; Bybit `unified`; OKX `trading`); the first is the default. */
  readonly accounts: readonly string[];
  balanceRequest(account: string): RestRequest;
  parseBalance(body: unknown, account: string, receivedAt: number): Balances;
  /** Segments that hold positions (Binance `usdm`; Bybit `linear`, `inverse`; OKX `SWAP`, `FUTURES`). */
  readonly positionSegments: readonly string[];
  positionsRequest(segment: string): RestRequest;
  parsePositions(body: unknown, segment: string, resolve: MarketResolver, receivedAt: number): Position[];

  /** Which private connection carries a market's order events (Binance `spot` or `usdm`; else `private`). */
  privateConnectionOf(market: Market): string;
  readonly privateStream: PrivateStreamDialect;
}
