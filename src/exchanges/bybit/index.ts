/**
 * The public surface of the Bybit v5 venue folder (spot + linear + inverse market data): named exports only.
 */
export { bybitBookRules } from './book-rules.js';
export {
  BOOK_DEPTHS,
  BYBIT_CATEGORIES,
  BYBIT_CONNECTIONS,
  BYBIT_DEMO,
  BYBIT_MAINNET,
  BYBIT_TESTNET,
  bybitUrlsAt,
  DEFAULT_RECV_WINDOW_MS,
  IP_LIMIT,
  isBybitCategory,
  REST_API,
  REST_DEPTH_LIMIT,
  type BybitCategory,
  type BybitConnection,
  type BybitUrls,
} from './config.js';
export {
  encodeBody,
  encodeQuery,
  keyTypeOf,
  restSignaturePayload,
  signPayload,
  signRestRequest,
  wsAuthArgs,
  wsAuthFrame,
  wsAuthPayload,
  type BybitKeyType,
  type BybitSignOptions,
} from './auth.js';
export { BYBIT_ERROR_TABLE, bybitErrorCode, decodeBybitError, envelopeError, type BybitErrorVerdict } from './errors.js';
export { fromBybitInterval, nextOpenTime, toBybitInterval } from './intervals.js';
export { createBybitMarketData, guessBybitSymbol, normalizeBybitFrame, type BybitMarketDataOptions } from './market-data.js';
export {
  bookCrossSeq,
  nextPageCursor,
  parseBookFrame,
  parseBookTicker,
  parseDepthSnapshot,
  parseKlineFrame,
  parseKlines,
  parseMarkets,
  parseRestTicker,
  parseRestTrades,
  parseServerTime,
  parseTickerFrame,
  parseTradeFrame,
  resultOf,
} from './parse.js';
export { costsOf, depthLimitFor, endpointLimitName, endpointLimitOf, instrumentsInfo, kline, orderbook, recentTrades, serverTime, tickers } from './rest.js';
export { createBybitRestDialect, usageFromBybitHeaders, type BybitRestDialectOptions } from './rest-dialect.js';
export {
  bookDepthFor,
  bybitConnectionLimits,
  bybitHeartbeat,
  classifyBybitFrame,
  createBybitStreamDialect,
  klineTopic,
  orderbookTopic,
  publicTradeTopic,
  tickersTopic,
  topicParts,
  topicsPerFrame,
  type TopicParts,
} from './stream-dialect.js';
export type {
  BybitContractInstrument,
  BybitEnvelope,
  BybitInstrumentsResult,
  BybitKlineData,
  BybitKlineRow,
  BybitLevel,
  BybitOrderbookData,
  BybitOrderbookResult,
  BybitRestTrade,
  BybitServerTimeResult,
  BybitSpotInstrument,
  BybitStreamRequest,
  BybitStreamResponse,
  BybitTicker,
  BybitTickerFrame,
  BybitTopicFrame,
  BybitTradeData,
} from './wire.js';
