/**
 * OKX v5 trading and account request builders (place, cancel, order, pending orders, fills, balance,
 * positions), each a signed `RestRequest` naming the per-endpoint limits it draws from, plus those limits.
 * Pure: decimals go out as `Decimal.toString()`, never through numbers.
 */
import { VenueError } from '../../core/errors.js';
import { argumentChecks } from '../../core/validation.js';
import type { Market } from '../../core/model.js';
import type { OrderRequest } from '../../core/orders/order-model.js';
import type { OrderRef } from '../../core/trading.js';
import type { QueryValue, RateCost, RateLimitRule, RestRequest } from '../../core/venue.js';
import { isOkxInstType, OKX_REST_API, VENUE, type OkxInstType } from './config.js';
import type { OkxCancelOrderBody, OkxOrdType, OkxPlaceOrderBody } from './wire-trading.js';

/** Per-endpoint limit names of the private endpoints, as the costs of each request name them. */
export type OkxTradingLimit =
  | 'trade-order'
  | 'sub-account-orders'
  | 'trade-cancel-order'
  | 'trade-order-query'
  | 'trade-orders-pending'
  | 'trade-fills'
  | 'account-balance'
  | 'account-positions';

/**
 * The documented private limits, per user id, each over 2 s (OKX API docs "Rate Limit" of each endpoint,
 * protocols.md §4.4). Place, cancel and the order query are documented per (UID, instId); they are metered
 * here per UID, which never exceeds the venue's limit. `sub-account-orders` is the sub-account cap of
 * 1000 new + amend orders per 2 s (50061 beyond it).
 */
export const OKX_TRADING_RATE_LIMITS: readonly RateLimitRule[] = (
  [
    ['trade-order', 60],
    ['sub-account-orders', 1000],
    ['trade-cancel-order', 60],
    ['trade-order-query', 60],
    ['trade-orders-pending', 60],
    ['trade-fills', 60],
    ['account-balance', 10],
    ['account-positions', 10],
  ] as const
).map(([limit, max]) => ({ limit, scope: 'uid', windowMs: 2000, max }));

/** `clOrdId`: 1-32 letters and digits. */
export const CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9]{1,32}$/;

/** Most rows `GET /api/v5/trade/fills` returns (and its default). */
export const FILLS_MAX_LIMIT = 100;

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

const check = argumentChecks({ venue: VENUE });

/** Unified → OKX values: exhaustive lookups, an unknown value is refused (never sent as a default). */
const SIDES = { buy: 'buy', sell: 'sell' } as const;
const ORDER_TYPES = ['limit', 'market'] as const;
/** The ordType of a limit order that is not post-only, by time in force. */
const LIMIT_ORD_TYPES = { GTC: 'limit', IOC: 'ioc', FOK: 'fok' } as const;

function cost(...limits: OkxTradingLimit[]): RateCost[] {
  return limits.map((limit) => ({ limit, weight: 1 }));
}

function signedGet(path: string, limit: OkxTradingLimit, query: Record<string, QueryValue>): RestRequest {
  return { method: 'GET', api: OKX_REST_API, path, query, signed: true, costs: cost(limit) };
}

/** The market's instrument type (its segment), checked. */
export function instTypeOf(market: Market): OkxInstType {
  if (market.venue !== 'okx') throw invalid(`market ${market.symbol} is not an OKX market`);
  if (!isOkxInstType(market.segment)) throw invalid(`OKX market ${market.symbol} has an unknown segment ${market.segment} (SPOT, SWAP, FUTURES)`);
  return market.segment;
}

/** Why `id` is not a valid OKX `clOrdId`, or undefined. */
export function clientOrderIdProblem(id: string): string | undefined {
  if (CLIENT_ORDER_ID_PATTERN.test(id)) return undefined;
  if (id.length === 0 || id.length > 32) return `an OKX client order id has 1 to 32 characters, got ${id.length}`;
  return 'an OKX client order id holds only letters and digits (A-Z, a-z, 0-9)';
}

/** The ordType for a request: post-only → `post_only`, IOC → `ioc`, FOK → `fok`, else `limit` / `market`. */
function ordTypeOf(order: OrderRequest): OkxOrdType {
  const type = check.oneOf('type', order.type, ORDER_TYPES);
  const limitOrdType = check.lookup('timeInForce', order.timeInForce ?? 'GTC', LIMIT_ORD_TYPES);
  const postOnly = check.optionalBoolean('postOnly', order.postOnly);
  const tif = order.timeInForce ?? 'GTC';
  if (type === 'market') {
    if (postOnly === true) throw invalid('a market order cannot be post-only');
    if (tif === 'FOK') throw invalid('OKX market orders are immediate-or-cancel; FOK is not available for them');
    return 'market';
  }
  if (postOnly === true) {
    if (tif !== 'GTC') throw invalid(`a post-only order rests on the book: time in force ${tif} contradicts it`);
    return 'post_only';
  }
  return limitOrdType;
}

/**
 * `POST /api/v5/trade/order`. tdMode `cash` on SPOT, `cross` on SWAP/FUTURES (this folder trades the unified
 * account in cross margin). `sz` is the amount: base currency on SPOT (market orders say `tgtCcy=base_ccy`),
 * contracts on SWAP/FUTURES. One-way (net) position mode: no `posSide`.
 * @throws {VenueError} `invalid-argument` for a bad client order id, size, price or option combination.
 */
export function placeOrder(market: Market, order: OrderRequest, clientOrderId: string): RestRequest {
  const instType = instTypeOf(market);
  const problem = clientOrderIdProblem(clientOrderId);
  if (problem !== undefined) throw invalid(problem);
  const side = check.lookup('side', order.side, SIDES);
  const reduceOnly = check.optionalBoolean('reduceOnly', order.reduceOnly);
  if (!order.amount.isPositive()) throw invalid(`order amount must be positive, got ${order.amount.toString()}`);
  const ordType = ordTypeOf(order);
  let px: string | undefined;
  if (order.type === 'limit') {
    if (order.price === undefined) throw invalid('a limit order needs a price');
    if (!order.price.isPositive()) throw invalid(`order price must be positive, got ${order.price.toString()}`);
    px = order.price.toString();
  } else if (order.price !== undefined) {
    throw invalid('a market order takes no price');
  }
  if (reduceOnly === true && instType === 'SPOT') throw invalid('reduce-only applies to SWAP and FUTURES orders, not SPOT');
  const body: OkxPlaceOrderBody = {
    instId: market.id,
    tdMode: instType === 'SPOT' ? 'cash' : 'cross',
    clOrdId: clientOrderId,
    side,
    ordType,
    sz: order.amount.toString(),
    ...(px === undefined ? {} : { px }),
    ...(reduceOnly === true ? { reduceOnly: true } : {}),
    ...(instType === 'SPOT' && order.type === 'market' ? { tgtCcy: 'base_ccy' as const } : {}),
  };
  return {
    method: 'POST',
    api: OKX_REST_API,
    path: '/api/v5/trade/order',
    body: { ...body },
    signed: true,
    costs: cost('trade-order', 'sub-account-orders'),
    command: true,
  };
}

/** `ordId` when the venue id is known, else `clOrdId`. */
function refFields(ref: OrderRef): { ordId: string } | { clOrdId: string } {
  if (ref.id !== undefined && ref.id !== '') return { ordId: ref.id };
  if (ref.clientOrderId !== undefined && ref.clientOrderId !== '') return { clOrdId: ref.clientOrderId };
  throw invalid('an order reference needs the order id or the client order id');
}

/** `POST /api/v5/trade/cancel-order` (60 / 2 s). */
export function cancelOrder(market: Market, ref: OrderRef): RestRequest {
  instTypeOf(market);
  const body: OkxCancelOrderBody = { instId: market.id, ...refFields(ref) };
  return { method: 'POST', api: OKX_REST_API, path: '/api/v5/trade/cancel-order', body: { ...body }, signed: true, costs: cost('trade-cancel-order'), command: true };
}

/** `GET /api/v5/trade/order?instId=&ordId=|clOrdId=` (60 / 2 s). */
export function fetchOrder(market: Market, ref: OrderRef): RestRequest {
  instTypeOf(market);
  return signedGet('/api/v5/trade/order', 'trade-order-query', { instId: market.id, ...refFields(ref) });
}

/** `GET /api/v5/trade/orders-pending?instType=&instId=` (60 / 2 s). */
export function openOrders(market: Market): RestRequest {
  return signedGet('/api/v5/trade/orders-pending', 'trade-orders-pending', { instType: instTypeOf(market), instId: market.id });
}

/**
 * `GET /api/v5/trade/fills?instType=&instId=&begin=&limit=` (last 3 days, newest first, up to 100; 60 / 2 s).
 * `since` → `begin` (ms).
 */
export function fills(market: Market, opts: { readonly since?: number; readonly limit?: number } = {}): RestRequest {
  const { since, limit } = opts;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > FILLS_MAX_LIMIT)) throw invalid(`fills limit must be 1..${FILLS_MAX_LIMIT}, got ${limit}`);
  if (since !== undefined && (!Number.isSafeInteger(since) || since < 0)) throw invalid(`since must be a time in ms, got ${since}`);
  return signedGet('/api/v5/trade/fills', 'trade-fills', {
    instType: instTypeOf(market),
    instId: market.id,
    ...(since === undefined ? {} : { begin: String(since) }),
    ...(limit === undefined ? {} : { limit: String(limit) }),
  });
}

/** `GET /api/v5/account/balance` (every currency of the trading account; 10 / 2 s). */
export function accountBalance(): RestRequest {
  return { method: 'GET', api: OKX_REST_API, path: '/api/v5/account/balance', signed: true, costs: cost('account-balance') };
}

/** `GET /api/v5/account/positions?instType=SWAP|FUTURES` (one request per instrument type; 10 / 2 s). */
export function accountPositions(instType: string): RestRequest {
  if (instType !== 'SWAP' && instType !== 'FUTURES') throw invalid(`OKX positions are kept for SWAP and FUTURES, got ${instType}`);
  return signedGet('/api/v5/account/positions', 'account-positions', { instType });
}
