/**
 * Binance spot + USDⓈ-M trading as one `TradingAdapter`: client order ids, which request and parser serve
 * each call, accounts, positions and the private-stream dialect. Pure wiring; no sockets or timers.
 */
import { randomBytes } from 'node:crypto';
import type { TradingAdapter } from '../../core/trading.js';
import { CLIENT_ORDER_ID_PATTERN, CLIENT_ORDER_ID_PREFIX, type BinanceUrls } from './config.js';
import { createBinancePrivateStream } from './private-stream.js';
import { parseAccountBalances, parseOpenOrderList, parseOrderFor, parseOwnTrades, parsePositionRisk, parseSpotOrderFills } from './trading-parse.js';
import { balance, cancelOrder, createOrder, fetchOrder, myTrades, openOrders, positions, tradingSegmentOf } from './trading-rest.js';

export interface BinanceTradingOptions {
  /** Base URLs (REST, WebSocket API, stream roots) of the environment. */
  readonly urls: BinanceUrls;
  /** `recvWindow` of the spot private-stream login step (REST requests take theirs from the RestDialect). */
  readonly recvWindowMs?: number;
}

/** Why `id` breaks Binance's client order id rule (`^[.A-Z:/a-z0-9_-]{1,36}$`), or undefined when it is fine. */
export function binanceClientOrderIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'a Binance client order id cannot be empty';
  if (id.length > 36) return `a Binance client order id has at most 36 characters, got ${id.length}`;
  if (!CLIENT_ORDER_ID_PATTERN.test(id)) return 'a Binance client order id takes only letters, digits and . : / _ -';
  return undefined;
}

/**
 * A generator of client order ids: `vk` + ms time (base 36) + a per-generator counter (base 36) + 6 random
 * base-36 characters, `-` separated; at most 28 characters, unique within and across processes.
 */
export function createClientOrderIdGenerator(now: () => number = Date.now): () => string {
  let counter = 0;
  return () => {
    counter = (counter + 1) % 36 ** 4;
    const random = randomBytes(5).readUIntBE(0, 5).toString(36).padStart(8, '0').slice(-6);
    return `${CLIENT_ORDER_ID_PREFIX}-${now().toString(36)}-${counter.toString(36)}-${random}`;
  };
}

/** Binance's trading surface (spot and USD-M) for the client's order tracker and private session. */
export function createBinanceTrading(options: BinanceTradingOptions): TradingAdapter {
  const newClientOrderId = createClientOrderIdGenerator();
  const streamOptions = options.recvWindowMs === undefined ? {} : { recvWindowMs: options.recvWindowMs };
  return {
    venue: 'binance',
    newClientOrderId,
    clientOrderIdProblem: binanceClientOrderIdProblem,

    createOrderRequest: createOrder,
    parseCreateOrder: (body, market, receivedAt) => {
      // A spot FULL answer lists the fills the place made at once: the order carries them from the start.
      const report = parseOrderFor(body, market, receivedAt);
      const fills = market.segment === 'spot' ? parseSpotOrderFills(body, market, receivedAt) : [];
      return fills.length === 0 ? report : { ...report, fills };
    },
    cancelOrderRequest: cancelOrder,
    parseCancelOrder: (body, market, receivedAt) => parseOrderFor(body, market, receivedAt),
    fetchOrderRequest: fetchOrder,
    parseOrder: (body, market, receivedAt) => parseOrderFor(body, market, receivedAt),
    openOrdersRequest: openOrders,
    parseOpenOrders: parseOpenOrderList,
    myTradesRequest: myTrades,
    parseMyTrades: parseOwnTrades,

    accounts: ['spot', 'usdm'],
    balanceRequest: balance,
    parseBalance: parseAccountBalances,
    positionSegments: ['usdm'],
    positionsRequest: positions,
    parsePositions: (body, segment, resolve, receivedAt) => {
      positions(segment); // refuses a segment without positions
      return parsePositionRisk(body, resolve, receivedAt);
    },

    privateConnectionOf: (market) => tradingSegmentOf(market),
    privateStream: createBinancePrivateStream(options.urls, streamOptions),
  };
}
