/**
 * The public surface of the Binance venue folder (spot + USDⓈ-M market data): named exports only.
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
