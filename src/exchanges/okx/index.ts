/**
 * The public surface of the OKX v5 venue folder (SPOT, SWAP, FUTURES market data and trading): named exports only.
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
export {
  classifyPrivateFrame,
  createOkxPrivateStream,
  decodePrivateFrame,
  OKX_LOGIN_ERROR_CODES,
  OKX_PRIVATE_CHANNELS,
  OKX_PRIVATE_CONNECTION,
  parsePrivateEvents,
  privateLoginFrame,
  privateSubscribeFrames,
} from './private-stream.js';
export { CLIENT_ORDER_ID_PREFIX, createOkxTrading, okxClientOrderIds, type OkxTradingOptions } from './trading.js';
export {
  OKX_ORDER_STATES,
  OKX_TRADING_ACCOUNT,
  parseBalanceResponse,
  parseBalanceRow,
  parseCancelOrderResponse,
  parseFillRow,
  parseFillsResponse,
  parseOpenOrdersResponse,
  parseOrderResponse,
  parseOrderRow,
  parsePlaceOrderResponse,
  parsePositionRow,
  parsePositionRows,
  parsePositionsResponse,
  tradingRows,
} from './trading-parse.js';
export {
  accountBalance,
  accountPositions,
  cancelOrder,
  CLIENT_ORDER_ID_PATTERN,
  clientOrderIdProblem,
  fetchOrder,
  fills,
  FILLS_MAX_LIMIT,
  instTypeOf,
  OKX_TRADING_RATE_LIMITS,
  openOrders,
  placeOrder,
  type OkxTradingLimit,
} from './trading-rest.js';
export type {
  OkxAccountBalance,
  OkxBalanceDetail,
  OkxCancelOrderBody,
  OkxFill,
  OkxOrder,
  OkxOrderAck,
  OkxOrderState,
  OkxOrdType,
  OkxPlaceOrderBody,
  OkxPosition,
  OkxPrivatePush,
  OkxPrivateSubscribeArg,
} from './wire-trading.js';
