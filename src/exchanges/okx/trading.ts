/**
 * OKX v5 trading (SPOT, SWAP, FUTURES) as one `TradingAdapter`: which request and parser serve each call,
 * client order ids to the venue's rule, and the private stream dialect. Pure wiring of this folder's functions.
 */
import { randomBytes } from 'node:crypto';
import { VenueError } from '../../core/errors.js';
import type { Market } from '../../core/model.js';
import type { TradingAdapter } from '../../core/trading.js';
import { VENUE, type OkxUrls } from './config.js';
import { createOkxPrivateStream, OKX_PRIVATE_CONNECTION } from './private-stream.js';
import {
  OKX_TRADING_ACCOUNT,
  parseBalanceResponse,
  parseCancelOrderResponse,
  parseFillsResponse,
  parseOpenOrdersResponse,
  parseOrderResponse,
  parsePlaceOrderResponse,
  parsePositionsResponse,
} from './trading-parse.js';
import { accountBalance, accountPositions, cancelOrder, clientOrderIdProblem, fetchOrder, fills, OKX_TRADING_RATE_LIMITS, openOrders, placeOrder } from './trading-rest.js';

export interface OkxTradingOptions {
  /** Base URLs (REST host and the private WebSocket): production, demo, a proxy or the simulator. */
  readonly urls: OkxUrls;
}

/** Client order ids start with this, so the account's own orders are recognisable on the venue. */
export const CLIENT_ORDER_ID_PREFIX = 'vk';

const BASE36_RANDOM_CHARS = 8;

/**
 * A generator of OKX client order ids: `vk` + time (base 36) + a per-generator counter (4 base-36 digits,
 * wrapping) + 8 random base-36 characters. At most 2 + 9 + 4 + 8 = 23 letters and digits (rule: 1-32).
 */
export function okxClientOrderIds(now: () => number = Date.now): () => string {
  let counter = 0;
  return () => {
    counter = (counter + 1) % 36 ** 4;
    let random = '';
    for (const byte of randomBytes(BASE36_RANDOM_CHARS)) random += (byte % 36).toString(36);
    return `${CLIENT_ORDER_ID_PREFIX}${Math.floor(now()).toString(36)}${counter.toString(36).padStart(4, '0')}${random}`;
  };
}

function checkAccount(account: string): void {
  if (account !== OKX_TRADING_ACCOUNT) throw new VenueError('invalid-argument', `OKX keeps balances in the ${OKX_TRADING_ACCOUNT} account, not ${account}`, { venue: VENUE });
}

/** OKX's trading and account surface for the client. */
export function createOkxTrading(options: OkxTradingOptions): TradingAdapter {
  const nextClientOrderId = okxClientOrderIds();
  return {
    venue: 'okx',
    staticRateLimits: OKX_TRADING_RATE_LIMITS,
    newClientOrderId: nextClientOrderId,
    clientOrderIdProblem,

    createOrderRequest: (market, order, clientOrderId) => placeOrder(market, order, clientOrderId),
    parseCreateOrder: (body, market, receivedAt) => parsePlaceOrderResponse(body, market.symbol, receivedAt),
    cancelOrderRequest: (market, ref) => cancelOrder(market, ref),
    parseCancelOrder: (body) => parseCancelOrderResponse(body),
    fetchOrderRequest: (market, ref) => fetchOrder(market, ref),
    parseOrder: (body, market, receivedAt) => parseOrderResponse(body, market.id, market.symbol, receivedAt),
    openOrdersRequest: (market) => openOrders(market),
    parseOpenOrders: (body, market, receivedAt) => parseOpenOrdersResponse(body, market.id, market.symbol, receivedAt),
    myTradesRequest: (market, opts) => fills(market, opts),
    parseMyTrades: (body, market, receivedAt) => parseFillsResponse(body, market.id, market.symbol, receivedAt),

    accounts: [OKX_TRADING_ACCOUNT],
    balanceRequest: (account) => {
      checkAccount(account);
      return accountBalance();
    },
    parseBalance: (body, account, receivedAt) => parseBalanceResponse(body, account, receivedAt),
    positionSegments: ['SWAP', 'FUTURES'],
    positionsRequest: (segment) => accountPositions(segment),
    parsePositions: (body, segment, resolve, receivedAt) => parsePositionsResponse(body, segment, resolve, receivedAt),

    privateConnectionOf: (_market: Market) => OKX_PRIVATE_CONNECTION,
    privateStream: createOkxPrivateStream(options.urls),
  };
}
