/**
 * The public surface of the Binance venue folder (spot + USDⓈ-M market data and trading): named exports only.
 */
export { binanceSpotBookRules, binanceUsdmBookRules } from './book-rules.js';
export {
  BINANCE_DEMO,
  BINANCE_MAINNET,
  BINANCE_SEGMENTS,
  BINANCE_TESTNET,
  DEFAULT_RECV_WINDOW_MS,
  DEPTH_SNAPSHOT_LIMIT,
  isBinanceSegment,
  type BinanceSegment,
  type BinanceSegmentUrls,
  type BinanceUrls,
} from './config.js';
export { encodeParams, keyTypeOf, signPayload, signRestRequest, signWsApiParams, wsApiSignaturePayload, type BinanceKeyType, type BinanceSignOptions } from './auth.js';
export { BINANCE_ERROR_TABLE, binanceErrorCode, decodeBinanceError, type BinanceErrorVerdict } from './errors.js';
export { fromBinanceInterval, toBinanceInterval } from './intervals.js';
export {
  marketIdOf,
  parseAggTrade,
  parseAggTrades,
  parseBookTicker,
  parseCandle,
  parseDepthSnapshot,
  parseDepthUpdate,
  parseKlines,
  parseMarkets,
  parseRateLimits,
  parseRestTrades,
  parseServerTime,
  parseTicker,
  parseTrade,
} from './parse.js';
export { aggTrades, bookTicker, depth, depthLimitFor, depthWeight, exchangeInfo, klines, recentTrades, serverTime, ticker24h } from './rest.js';
export { createBinanceRestDialect, usageFromBinanceHeaders, type BinanceRestDialectOptions } from './rest-dialect.js';
export {
  aggTradeTopic,
  binanceConnectionLimits,
  binanceHeartbeat,
  bookTickerTopic,
  classifyBinanceFrame,
  createBinanceStreamDialect,
  depthTopic,
  klineTopic,
  miniTickerTopic,
  tickerTopic,
  tradeTopic,
  TOPICS_PER_FRAME,
  type BinanceConnection,
  type BinanceDepthSpeed,
} from './stream-dialect.js';
export type {
  BinanceAggTradeFrame,
  BinanceBookTickerFrame,
  BinanceBookTickerResponse,
  BinanceCombinedFrame,
  BinanceDepthResponse,
  BinanceDepthUpdateFrame,
  BinanceErrorResponse,
  BinanceKlineFrame,
  BinanceKlineRow,
  BinanceLevel,
  BinanceMiniTickerFrame,
  BinanceRateLimit,
  BinanceRestTrade,
  BinanceServerShutdownFrame,
  BinanceServerTimeResponse,
  BinanceSpotExchangeInfoResponse,
  BinanceSpotSymbol,
  BinanceStreamErrorResponse,
  BinanceStreamRequest,
  BinanceStreamResponse,
  BinanceSymbolFilter,
  BinanceTicker24hFrame,
  BinanceTicker24hResponse,
  BinanceTradeFrame,
  BinanceUsdmExchangeInfoResponse,
  BinanceUsdmSymbol,
  WireId,
} from './wire.js';
export { CLIENT_ORDER_ID_PATTERN, LISTEN_KEY_KEEPALIVE_MS } from './config.js';
export { binanceClientOrderIdProblem, createBinanceTrading, createClientOrderIdGenerator, type BinanceTradingOptions } from './trading.js';
export { balance, cancelOrder, createListenKey, createOrder, fetchOrder, keepAliveListenKey, myTrades, openOrders, positions, tradingSegmentOf } from './trading-rest.js';
export {
  parseAccountBalances,
  parseAccountUpdate,
  parseExecutionReport,
  parseOpenOrderList,
  parseOrderFor,
  parseOrderTradeUpdate,
  parseOutboundAccountPosition,
  parseOwnTrades,
  parsePositionRisk,
  parseSpotOrder,
  parseSpotOrderFills,
  parseUsdmOrder,
} from './trading-parse.js';
export {
  BINANCE_PRIVATE_CONNECTIONS,
  binancePrivateHeartbeat,
  classifyPrivateFrame,
  createBinancePrivateStream,
  loginError,
  parseListenKey,
  parsePrivateEvents,
  unwrapUserEvent,
  USER_DATA_SUBSCRIBE_METHOD,
  userDataSubscribeFrame,
  type BinancePrivateStreamOptions,
} from './private-stream.js';
export type {
  BinanceAccountUpdate,
  BinanceExecutionReport,
  BinanceListenKeyResponse,
  BinanceOrderStatus,
  BinanceOrderTradeUpdate,
  BinanceOutboundAccountPosition,
  BinanceSpotAccount,
  BinanceSpotMyTrade,
  BinanceSpotOrder,
  BinanceSpotOrderFill,
  BinanceUsdmAccount,
  BinanceUsdmAccountAsset,
  BinanceUsdmBalanceRow,
  BinanceUsdmOrder,
  BinanceUsdmPositionRisk,
  BinanceUsdmUserTrade,
  BinanceWsApiRequest,
  BinanceWsApiResponse,
  BinanceWsApiUserEvent,
} from './wire-trading.js';
