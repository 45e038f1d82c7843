/**
 * Binance trading and account REST requests (spot `/api/v3`, USD-M `/fapi`), each with its documented
 * weight, the order-rate limit on placement, `signed` and `command` flags. Pure builders: nothing is sent here.
 */
import { VenueError } from '../../core/errors.js';
import { argumentChecks } from '../../core/validation.js';
import type { OrderRef } from '../../core/trading.js';
import type { OrderRequest } from '../../core/orders/order-model.js';
import type { Market } from '../../core/model.js';
import type { QueryValue, RateCost, RestRequest } from '../../core/venue.js';
import { isBinanceSegment, VENUE, type BinanceSegment } from './config.js';

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

const check = argumentChecks({ venue: VENUE });

/** Unified → Binance values: exhaustive lookups, an unknown value is refused (never sent as a default). */
const SIDES = { buy: 'BUY', sell: 'SELL' } as const;
const TIME_IN_FORCE = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK' } as const;
const ORDER_TYPES = ['limit', 'market'] as const;

function weight(n: number): RateCost {
  return { limit: 'REQUEST_WEIGHT', weight: n };
}

/** One order counted against the per-account ORDERS limits (spot 10 s / 1 d, USD-M 10 s / 1 min). */
const ORDER_COUNT: RateCost = { limit: 'ORDERS', weight: 1 };

/** The segment serving a market. @throws {VenueError} `invalid-argument` for a non-Binance market. */
export function tradingSegmentOf(market: Market): BinanceSegment {
  if (market.venue !== 'binance' || !isBinanceSegment(market.segment)) throw invalid(`market ${market.symbol} is not a Binance spot or usdm market`);
  return market.segment;
}

function signedRequest(method: RestRequest['method'], segment: BinanceSegment, path: string, costs: RateCost[], fields: Record<string, QueryValue>, command = false): RestRequest {
  const params: Record<string, QueryValue> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) params[k] = v;
  const base = { method, api: segment, path, signed: true, costs };
  const withParams = method === 'POST' ? { ...base, body: params } : { ...base, query: params };
  return command ? { ...withParams, command: true } : withParams;
}

/** The venue's `type` and `timeInForce` for a unified order (spot post-only = LIMIT_MAKER, USD-M = GTX). */
function orderShape(segment: BinanceSegment, order: OrderRequest): { type: string; timeInForce?: string } {
  const type = check.oneOf('type', order.type, ORDER_TYPES);
  const timeInForce = order.timeInForce === undefined ? undefined : check.lookup('timeInForce', order.timeInForce, TIME_IN_FORCE);
  const postOnly = check.optionalBoolean('postOnly', order.postOnly);
  if (type === 'market') {
    if (postOnly === true) throw invalid('a market order cannot be post-only');
    // Binance market orders take no timeInForce (they never rest); a given one is not sent.
    return { type: 'MARKET' };
  }
  if (postOnly === true) {
    if (timeInForce !== undefined && timeInForce !== 'GTC') throw invalid(`a post-only order cannot also be ${timeInForce}`);
    return segment === 'spot' ? { type: 'LIMIT_MAKER' } : { type: 'LIMIT', timeInForce: 'GTX' };
  }
  return { type: 'LIMIT', timeInForce: timeInForce ?? 'GTC' };
}

/**
 * `POST /api/v3/order` (weight 1 + 1 order, `newOrderRespType=FULL`) or `POST /fapi/v1/order` (0 weight +
 * 1 order, `newOrderRespType=RESULT`). Fields go in the form body: symbol, side, type, timeInForce,
 * quantity, price, reduceOnly (USD-M), newClientOrderId, newOrderRespType. Decimals as their exact strings.
 * @throws {VenueError} `invalid-argument` for an unknown side, type or time in force, a limit order without price
 *   (a market order with one), a non-positive amount or price, post-only market orders, post-only with IOC/FOK, or
 *   reduce-only on spot.
 */
export function createOrder(market: Market, order: OrderRequest, clientOrderId: string): RestRequest {
  const segment = tradingSegmentOf(market);
  const side = check.lookup('side', order.side, SIDES);
  const shape = orderShape(segment, order);
  if (!order.amount.isPositive()) throw invalid(`order amount must be positive, got ${order.amount.toString()}`);
  if (order.type === 'limit' && order.price === undefined) throw invalid('a limit order needs a price');
  if (order.type === 'limit' && order.price !== undefined && !order.price.isPositive()) throw invalid(`order price must be positive, got ${order.price.toString()}`);
  if (order.type === 'market' && order.price !== undefined) throw invalid('a market order takes no price');
  const reduceOnly = check.optionalBoolean('reduceOnly', order.reduceOnly);
  if (segment === 'spot' && reduceOnly === true) throw invalid('binance spot orders cannot be reduce-only');
  const fields: Record<string, QueryValue> = {
    symbol: market.id,
    side,
    type: shape.type,
    timeInForce: shape.timeInForce,
    quantity: order.amount.toString(),
    price: order.price?.toString(),
    reduceOnly: segment === 'usdm' && reduceOnly === true ? 'true' : undefined,
    newClientOrderId: clientOrderId,
    newOrderRespType: segment === 'spot' ? 'FULL' : 'RESULT',
  };
  if (segment === 'spot') return signedRequest('POST', segment, '/api/v3/order', [weight(1), ORDER_COUNT], fields, true);
  return signedRequest('POST', segment, '/fapi/v1/order', [ORDER_COUNT], fields, true);
}

function refFields(ref: OrderRef): Record<string, QueryValue> {
  if (ref.id === undefined && ref.clientOrderId === undefined) throw invalid('an order reference needs the order id or the client order id');
  return { orderId: ref.id, origClientOrderId: ref.clientOrderId };
}

/** `DELETE /api/v3/order` / `DELETE /fapi/v1/order` (weight 1 each; cancels do not count as orders). */
export function cancelOrder(market: Market, ref: OrderRef): RestRequest {
  const segment = tradingSegmentOf(market);
  const path = segment === 'spot' ? '/api/v3/order' : '/fapi/v1/order';
  return signedRequest('DELETE', segment, path, [weight(1)], { symbol: market.id, ...refFields(ref) }, true);
}

/** `GET /api/v3/order` (weight 4) / `GET /fapi/v1/order` (weight 1). */
export function fetchOrder(market: Market, ref: OrderRef): RestRequest {
  const segment = tradingSegmentOf(market);
  const path = segment === 'spot' ? '/api/v3/order' : '/fapi/v1/order';
  return signedRequest('GET', segment, path, [weight(segment === 'spot' ? 4 : 1)], { symbol: market.id, ...refFields(ref) });
}

/** `GET /api/v3/openOrders?symbol=` (weight 6) / `GET /fapi/v1/openOrders?symbol=` (weight 1). */
export function openOrders(market: Market): RestRequest {
  const segment = tradingSegmentOf(market);
  const path = segment === 'spot' ? '/api/v3/openOrders' : '/fapi/v1/openOrders';
  return signedRequest('GET', segment, path, [weight(segment === 'spot' ? 6 : 1)], { symbol: market.id });
}

/**
 * `GET /api/v3/myTrades` (weight 20) / `GET /fapi/v1/userTrades` (weight 5), oldest first; `limit` ≤ 1000.
 * USD-M answers at most 7 days from `startTime`.
 */
export function myTrades(market: Market, opts: { readonly since?: number; readonly limit?: number }): RestRequest {
  const segment = tradingSegmentOf(market);
  const { since, limit } = opts;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) throw invalid(`trades limit must be 1..1000, got ${limit}`);
  if (since !== undefined && (!Number.isSafeInteger(since) || since < 0)) throw invalid(`since must be a ms timestamp, got ${since}`);
  const path = segment === 'spot' ? '/api/v3/myTrades' : '/fapi/v1/userTrades';
  return signedRequest('GET', segment, path, [weight(segment === 'spot' ? 20 : 5)], { symbol: market.id, startTime: since, limit });
}

/** `GET /api/v3/account?omitZeroBalances=true` (weight 20) or `GET /fapi/v3/account` (weight 5). */
export function balance(account: string): RestRequest {
  if (account === 'spot') return signedRequest('GET', 'spot', '/api/v3/account', [weight(20)], { omitZeroBalances: 'true' });
  if (account === 'usdm') return signedRequest('GET', 'usdm', '/fapi/v3/account', [weight(5)], {});
  throw invalid(`unknown Binance account ${JSON.stringify(account)} (spot, usdm)`);
}

/** `GET /fapi/v3/positionRisk` (weight 5): every symbol with a position or open orders. */
export function positions(segment: string): RestRequest {
  if (segment !== 'usdm') throw invalid(`binance holds positions on usdm only, not ${JSON.stringify(segment)}`);
  return signedRequest('GET', 'usdm', '/fapi/v3/positionRisk', [weight(5)], {});
}

/**
 * `POST /fapi/v1/listenKey` (weight 1). A USER_STREAM call: API-key header only, no timestamp or
 * signature (`signed: false`; the key header is sent whenever credentials are given). Not a command:
 * a repeated POST answers the same, extended key.
 */
export function createListenKey(): RestRequest {
  return { method: 'POST', api: 'usdm', path: '/fapi/v1/listenKey', signed: false, costs: [weight(1)] };
}

/** `PUT /fapi/v1/listenKey` (weight 1): extends the account's key by 60 minutes; takes no parameters. */
export function keepAliveListenKey(): RestRequest {
  return { method: 'PUT', api: 'usdm', path: '/fapi/v1/listenKey', signed: false, costs: [weight(1)] };
}
