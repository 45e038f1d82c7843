/** venuekit's public surface: named exports only. */
export { binance } from './client/binance.js';
export type { BinanceOptions, BinanceSegment, BinanceUrls } from './client/binance.js';
export { Exchange } from './client/exchange.js';
export type { CallOptions, ExchangeOptions } from './client/exchange.js';
export type { ExchangeEvents } from './client/events.js';
export type { Watch, WatchOptions } from './client/watch-topic.js';
export type { WatchBookOptions } from './client/watch-book.js';
export { OrderBook } from './core/book/order-book.js';
export type { ResyncReason } from './core/book/order-book.js';
export { Decimal, decimalsOf } from './core/decimal.js';
export type { Rounding } from './core/decimal.js';
export { ERROR_CODES, VenueError } from './core/errors.js';
export type { ErrorCode } from './core/errors.js';
export type { UpdateId } from './core/json.js';
export type { BookTicker, Candle, Level, Market, MarketType, OrderBookSnapshot, Side, Ticker, Trade, VenueId } from './core/model.js';
export { formatSymbol, parseSymbol } from './core/symbols.js';
export type { Credentials } from './core/venue.js';
