/**
 * The public surface of the OKX v5 venue folder (SPOT, SWAP, FUTURES market data): named exports only.
 */
export { okxBookRules } from './book-rules.js';
export { bookChecksum, checksumText, crc32Signed, CHECKSUM_DEPTH } from './checksum.js';
export {
  BOOKS_DEPTH,
  BOOKS_FULL_DEPTH,
  isOkxInstType,
  OKX_DEMO,
  OKX_INST_TYPES,
  OKX_PRODUCTION,
  OKX_REST_API,
  okxRestUrls,
  PING_INTERVAL_MS,
  STALE_AFTER_MS,
  type OkxConnection,
  type OkxInstType,
  type OkxUrls,
} from './config.js';
export { encodeBody, encodeQuery, isoTimestamp, okxSign, restPrehash, signRestRequest, wsLoginRequest, wsLoginSign, type OkxSignOptions } from './auth.js';
export { decodeOkxError, OKX_ERROR_TABLE, okxError, okxErrorCode, type OkxErrorVerdict } from './errors.js';
export { barOfChannel, fromOkxBar, toOkxBar } from './intervals.js';
export { createOkxMarketData, guessOkxSymbol, normalizeOkxFrame, type OkxMarketDataOptions } from './market-data.js';
export {
  dataOf,
  isDerivativeId,
  parseBboPush,
  parseBookPush,
  parseBooksResponse,
  parseCandlePush,
  parseCandlesResponse,
  parseInstruments,
  parseServerTime,
  parseTickerPush,
  parseTickerResponse,
  parseTradesPush,
  parseTradesResponse,
  pushArgOf,
} from './parse.js';
export { books, candles, instruments, OKX_RATE_LIMITS, serverTime, ticker, tickers, trades, type OkxEndpointLimit } from './rest.js';
export { createOkxRestDialect, usageFromOkxHeaders, type OkxRestDialectOptions } from './rest-dialect.js';
export {
  argOfTopic,
  bookTopic,
  candleTopic,
  channelTopic,
  classifyOkxFrame,
  createOkxStreamDialect,
  decodeOkxFrame,
  okxConnectionLimits,
  okxHeartbeat,
  PONG,
  tickersTopic,
  tradesTopic,
  type OkxBookChannel,
} from './stream-dialect.js';
export type {
  OkxBookData,
  OkxCandleRow,
  OkxChannelArg,
  OkxEnvelope,
  OkxEventFrame,
  OkxInstrument,
  OkxLevel,
  OkxLoginRequest,
  OkxPush,
  OkxServerTime,
  OkxStreamRequest,
  OkxTicker,
  OkxTrade,
} from './wire.js';
