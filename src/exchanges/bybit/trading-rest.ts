/**
 * Bybit v5 trading and account request builders: place, cancel, query orders, own executions, wallet balance,
 * positions. All signed; place and cancel are commands and draw from their per-category endpoint limit.
 */
import { VenueError } from '../../core/errors.js';
import { argumentChecks } from '../../core/validation.js';
import type { Market } from '../../core/model.js';
import type { OrderRequest } from '../../core/orders/order-model.js';
import type { OrderRef } from '../../core/trading.js';
import type { HttpMethod, QueryValue, RestRequest } from '../../core/venue.js';
import {
  EXECUTION_LIST_LIMIT,
  isBybitCategory,
  LINEAR_POSITIONS_SETTLE_COIN,
  OPEN_ORDERS_PAGE_LIMIT,
  POSITION_LIST_LIMIT,
  REST_API,
  UNIFIED_ACCOUNT,
  VENUE,
  type BybitCategory,
} from './config.js';
import { costsOf } from './rest.js';
import type { BybitCancelOrderBody, BybitCreateOrderBody } from './wire-trading.js';

export const ORDER_CREATE_PATH = '/v5/order/create';
export const ORDER_CANCEL_PATH = '/v5/order/cancel';
export const ORDER_REALTIME_PATH = '/v5/order/realtime';
export const EXECUTION_LIST_PATH = '/v5/execution/list';
export const WALLET_BALANCE_PATH = '/v5/account/wallet-balance';
export const POSITION_LIST_PATH = '/v5/position/list';

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

const check = argumentChecks({ venue: VENUE });

/** Unified → Bybit values: exhaustive lookups, an unknown value is refused (never sent as a default). */
const SIDES = { buy: 'Buy', sell: 'Sell' } as const;
const ORDER_TYPES = { limit: 'Limit', market: 'Market' } as const;
const TIME_IN_FORCE = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK' } as const;

/** The Bybit category a market trades in. @throws {VenueError} `invalid-argument` for a market of another venue. */
export function categoryOfMarket(market: Market): BybitCategory {
  if (market.venue !== 'bybit' || !isBybitCategory(market.segment)) throw invalid(`market ${market.symbol} is not a Bybit market`);
  return market.segment;
}

function definedOnly(fields: Record<string, QueryValue>): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

/** A signed query (`GET`), drawing from the IP limit and the endpoint's own (category-independent) limit. */
function signedGet(path: string, query: Record<string, QueryValue>): RestRequest {
  return { method: 'GET', api: REST_API, path, query: definedOnly(query), signed: true, costs: costsOf('GET', path) };
}

/**
 * A signed command (`POST`, JSON body): it draws from the IP limit and from the endpoint's per-category limit
 * (`POST /v5/order/create#linear`: Bybit meters order placement per UID, endpoint and category, 10/s for
 * futures and 20/s for spot by default; `X-Bapi-Limit` announces the account's own figure).
 */
function signedCommand(path: string, category: BybitCategory, body: Record<string, unknown>): RestRequest {
  const method: HttpMethod = 'POST';
  return { method, api: REST_API, path, body, signed: true, costs: costsOf(method, path, category), command: true };
}

/**
 * `POST /v5/order/create`. `amount` is sent as `qty` as is: base coin on spot (market orders carry
 * `marketUnit=baseCoin`) and linear, contracts (1 USD each) on inverse. Post-only is `timeInForce=PostOnly`.
 * @throws {VenueError} `invalid-argument` for an unknown side, type or time in force, a limit order without a price,
 * a market order with one, post-only on a market or IOC/FOK order, reduce-only on spot, or a non-positive amount/price.
 */
export function createOrder(market: Market, order: OrderRequest, clientOrderId: string): RestRequest {
  const category = categoryOfMarket(market);
  const side = check.lookup('side', order.side, SIDES);
  const orderType = check.lookup('type', order.type, ORDER_TYPES);
  const timeInForce = order.timeInForce === undefined ? undefined : check.lookup('timeInForce', order.timeInForce, TIME_IN_FORCE);
  const postOnly = check.optionalBoolean('postOnly', order.postOnly);
  const reduceOnly = check.optionalBoolean('reduceOnly', order.reduceOnly);
  if (!order.amount.isPositive()) throw invalid(`order amount must be positive, got ${order.amount.toString()}`);
  const body: BybitCreateOrderBody = { category, symbol: market.id, side, orderType, qty: order.amount.toString(), orderLinkId: clientOrderId };
  if (orderType === 'Limit') {
    if (order.price === undefined) throw invalid('a limit order needs a price');
    if (!order.price.isPositive()) throw invalid(`order price must be positive, got ${order.price.toString()}`);
    body.price = order.price.toString();
  } else if (order.price !== undefined) {
    throw invalid('a market order takes no price');
  }
  if (postOnly === true) {
    if (orderType !== 'Limit') throw invalid('post-only needs a limit order');
    if (timeInForce !== undefined && timeInForce !== 'GTC') throw invalid(`post-only cannot be combined with ${timeInForce}`);
    body.timeInForce = 'PostOnly';
  } else if (timeInForce !== undefined) {
    body.timeInForce = timeInForce;
  } else if (orderType === 'Limit') {
    body.timeInForce = 'GTC';
  }
  if (reduceOnly === true) {
    if (category === 'spot') throw invalid('spot orders cannot be reduce-only');
    body.reduceOnly = true;
  }
  if (category === 'spot' && orderType === 'Market') body.marketUnit = 'baseCoin';
  return signedCommand(ORDER_CREATE_PATH, category, { ...body });
}

function checkRef(ref: OrderRef): void {
  if ((ref.id === undefined || ref.id === '') && (ref.clientOrderId === undefined || ref.clientOrderId === '')) {
    throw invalid('an order reference needs an id or a client order id');
  }
}

/** `orderId` when known (Bybit prefers it), else `orderLinkId`. */
function refFields(ref: OrderRef): { orderId?: string; orderLinkId?: string } {
  checkRef(ref);
  return ref.id !== undefined && ref.id !== '' ? { orderId: ref.id } : { orderLinkId: ref.clientOrderId as string };
}

/** `POST /v5/order/cancel` by `orderId`, else `orderLinkId`. */
export function cancelOrder(market: Market, ref: OrderRef): RestRequest {
  const category = categoryOfMarket(market);
  const body: BybitCancelOrderBody = { category, symbol: market.id, ...refFields(ref) };
  return signedCommand(ORDER_CANCEL_PATH, category, { ...body });
}

/**
 * `GET /v5/order/realtime` for one order by `orderId` (else `orderLinkId`). Bybit answers open orders and
 * the most recent closed ones; an empty list means the venue does not know the order (parse → `not-found`).
 */
export function fetchOrder(market: Market, ref: OrderRef): RestRequest {
  return signedGet(ORDER_REALTIME_PATH, { category: categoryOfMarket(market), symbol: market.id, ...refFields(ref) });
}

/** `GET /v5/order/realtime?openOnly=0`: open orders of one symbol, one page of at most 50 (newest first). */
export function openOrders(market: Market): RestRequest {
  return signedGet(ORDER_REALTIME_PATH, { category: categoryOfMarket(market), symbol: market.id, openOnly: 0, limit: OPEN_ORDERS_PAGE_LIMIT });
}

/**
 * `GET /v5/execution/list`: own executions of one symbol, at most 100 (default 100). With only `startTime`
 * Bybit answers the 7 days from it; without it, the last 7 days.
 */
export function executionList(market: Market, opts: { readonly since?: number; readonly limit?: number } = {}): RestRequest {
  const limit = opts.limit ?? EXECUTION_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > EXECUTION_LIST_LIMIT) throw invalid(`execution list limit must be 1..${EXECUTION_LIST_LIMIT}, got ${limit}`);
  if (opts.since !== undefined && (!Number.isSafeInteger(opts.since) || opts.since < 0)) throw invalid(`since must be a ms timestamp, got ${opts.since}`);
  return signedGet(EXECUTION_LIST_PATH, { category: categoryOfMarket(market), symbol: market.id, startTime: opts.since, limit });
}

/** `GET /v5/account/wallet-balance?accountType=UNIFIED`. @throws {VenueError} `invalid-argument` for another account. */
export function walletBalance(account: string): RestRequest {
  if (account !== UNIFIED_ACCOUNT) throw invalid(`bybit serves the ${UNIFIED_ACCOUNT} account, not ${JSON.stringify(account)}`);
  return signedGet(WALLET_BALANCE_PATH, { accountType: 'UNIFIED' });
}

/**
 * `GET /v5/position/list` of a segment, at most 200 rows: linear with `settleCoin=USDT` (the venue needs a
 * symbol or a settle coin there; USDC-settled positions are not in this request), inverse as a whole.
 * @throws {VenueError} `invalid-argument` for spot or an unknown segment.
 */
export function positionList(segment: string): RestRequest {
  if (segment === 'linear') return signedGet(POSITION_LIST_PATH, { category: 'linear', settleCoin: LINEAR_POSITIONS_SETTLE_COIN, limit: POSITION_LIST_LIMIT });
  if (segment === 'inverse') return signedGet(POSITION_LIST_PATH, { category: 'inverse', limit: POSITION_LIST_LIMIT });
  throw invalid(`bybit positions are in linear or inverse, not ${JSON.stringify(segment)}`);
}
