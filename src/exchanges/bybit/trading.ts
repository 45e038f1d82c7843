/**
 * Bybit v5 trading as one `TradingAdapter`: which builder and parser serve each call, the orderLinkId rules,
 * the unified account, linear/inverse positions and the private stream. No sockets or timers.
 */
import { randomBytes } from 'node:crypto';
import type { TradingAdapter } from '../../core/trading.js';
import type { RateLimitRule } from '../../core/venue.js';
import { BYBIT_CATEGORIES, ORDER_LINK_ID_CHARSET, ORDER_LINK_ID_MAX_LENGTH, POSITION_CATEGORIES, UNIFIED_ACCOUNT, type BybitUrls } from './config.js';
import { endpointLimitName } from './rest.js';
import { createBybitPrivateStream, PRIVATE_CONNECTION } from './private-stream.js';
import { cancelOrder, categoryOfMarket, createOrder, executionList, fetchOrder, openOrders, ORDER_CANCEL_PATH, ORDER_CREATE_PATH, positionList, walletBalance } from './trading-rest.js';
import {
  parseCancelOrderResponse,
  parseCreateOrderResponse,
  parseExecutionList,
  parseOrderList,
  parsePositionList,
  parseSingleOrder,
  parseWalletBalance,
} from './trading-parse.js';

export interface BybitTradingOptions {
  readonly urls: BybitUrls;
  /**
   * How long a signed login stays valid: the private auth frame's `expires` is venue time plus this
   * (default 10 s). REST `X-BAPI-RECV-WINDOW` is the REST dialect's option.
   */
  readonly recvWindowMs?: number;
}

/** Why `id` is not a valid `orderLinkId` (1..36 of letters, digits, `-`, `_`), or undefined when it is. */
export function orderLinkIdProblem(id: string): string | undefined {
  if (id === '') return 'a bybit orderLinkId cannot be empty';
  if (id.length > ORDER_LINK_ID_MAX_LENGTH) return `a bybit orderLinkId has at most ${ORDER_LINK_ID_MAX_LENGTH} characters, this one has ${id.length}`;
  if (!ORDER_LINK_ID_CHARSET.test(id)) return 'a bybit orderLinkId takes only letters, digits, "-" and "_"';
  return undefined;
}

let sequence = 0;

/**
 * A fresh orderLinkId: `vk-<ms time base36>-<process counter base36>-<8 random hex>`, at most 28 characters,
 * unique within a process by the counter and across processes by time and randomness.
 */
export function newOrderLinkId(now: number = Date.now()): string {
  sequence = (sequence + 1) % 0x7fffffff;
  return `vk-${now.toString(36)}-${sequence.toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** Bybit's trading surface (unified account; spot, linear, inverse) for the client. */
/**
 * Bybit's default order rates per UID (spot 20/s, linear and inverse 10/s), per endpoint and category: the governor
 * holds to them before the first `X-Bapi-Limit` header announces the account's own figure.
 */
export const BYBIT_ORDER_RATE_LIMITS: readonly RateLimitRule[] = BYBIT_CATEGORIES.flatMap((category) =>
  [ORDER_CREATE_PATH, ORDER_CANCEL_PATH].map((path) => ({ limit: endpointLimitName('POST', path, category), scope: 'uid', windowMs: 1000, max: category === 'spot' ? 20 : 10 })),
);

export function createBybitTrading(options: BybitTradingOptions): TradingAdapter {
  const privateStream = createBybitPrivateStream(options.urls, options.recvWindowMs === undefined ? {} : { authValidityMs: options.recvWindowMs });
  return {
    venue: 'bybit',
    staticRateLimits: BYBIT_ORDER_RATE_LIMITS,
    newClientOrderId: () => newOrderLinkId(),
    clientOrderIdProblem: orderLinkIdProblem,

    createOrderRequest: createOrder,
    parseCreateOrder: parseCreateOrderResponse,
    cancelOrderRequest: cancelOrder,
    parseCancelOrder: (body) => parseCancelOrderResponse(body),
    fetchOrderRequest: fetchOrder,
    parseOrder: parseSingleOrder,
    openOrdersRequest: openOrders,
    parseOpenOrders: parseOrderList,
    myTradesRequest: executionList,
    parseMyTrades: parseExecutionList,

    accounts: [UNIFIED_ACCOUNT],
    balanceRequest: walletBalance,
    parseBalance: parseWalletBalance,
    positionSegments: POSITION_CATEGORIES,
    positionsRequest: positionList,
    parsePositions: parsePositionList,

    privateConnectionOf: (market) => {
      categoryOfMarket(market);
      return PRIVATE_CONNECTION;
    },
    privateStream,
  };
}
