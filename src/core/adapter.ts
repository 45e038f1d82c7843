/**
 * What a venue folder hands the client for market data: request builders, pure parsers, stream topics
 * and book rules, bundled as one object. The client composes it with the core's transport and book.
 */
import type { BookTicker, Candle, DepthMessage, Market, NormalizedEvent, Ticker, Trade, VenueId } from './model.js';
import type { ProblemSink } from './problems.js';
import type { BookRules, RateLimitRule, RestDialect, RestRequest, StreamDialect, StreamTopic } from './venue.js';

/** Options for a book subscription. */
export interface BookTopicOptions {
  /** Levels per side the consumer wants; the venue picks the channel that serves it. */
  readonly depth?: number;
}

/** A venue's market-data surface, as data and pure functions. */
export interface MarketDataAdapter {
  readonly venue: VenueId;
  /** Product lines this adapter serves (Binance `spot`, `usdm`). */
  readonly segments: readonly string[];
  readonly rest: RestDialect;
  readonly stream: StreamDialect;

  /** Server-time request per segment (clock sync). */
  serverTimeRequest(segment: string): RestRequest;
  parseServerTime(body: unknown): number;

  marketsRequest(segment: string): RestRequest;
  parseMarkets(body: unknown, segment: string): Market[];
  /** The next page of a paged instrument list (Bybit `nextPageCursor`), or undefined after the last page. */
  nextMarketsRequest?(body: unknown, segment: string): RestRequest | undefined;
  /** Rate-limit rules announced by the venue in the same response, if it does that (Binance). */
  parseRateLimits?(body: unknown, segment: string): RateLimitRule[];
  /** Static limits for venues that do not announce them. */
  readonly staticRateLimits?: readonly RateLimitRule[];

  /**
   * The most levels per side a caller may ask of a market's book: `fetch` for `fetchOrderBook` (the deepest
   * REST snapshot), `watch` for `watchOrderBook` (the deepest book the stream keeps). Deeper is refused, never capped.
   */
  maxBookDepth(market: Market, via: 'fetch' | 'watch'): number;
  depthRequest(market: Market, depth: number): RestRequest;
  parseDepth(body: unknown, market: Market, receivedAt: number): DepthMessage;

  tickerRequest(market: Market): RestRequest;
  parseTicker(body: unknown, market: Market, receivedAt: number): Ticker;

  tradesRequest(market: Market, limit?: number): RestRequest;
  /**
   * Trades of the answer. A row that cannot be read, or whose price or amount is ≤ 0, is refused: handed to
   * `problems` (the other rows stand) when a sink is given, else thrown as `decode`.
   */
  parseTrades(body: unknown, market: Market, receivedAt: number, problems?: ProblemSink): Trade[];

  /** Every candle interval the venue serves on some market, in ccxt notation (`1m`, `1h`, `1d`...). */
  readonly timeframes: readonly string[];
  candlesRequest(market: Market, interval: string, opts: { since?: number; limit?: number }): RestRequest;
  parseCandles(body: unknown, market: Market, interval: string, receivedAt: number): Candle[];

  /** Book subscription: topic, how its frames become depth messages, and the sync rules. */
  bookTopic(market: Market, opts: BookTopicOptions): StreamTopic;
  parseBookFrame(payload: unknown, market: Market, receivedAt: number): DepthMessage;
  bookRules(market: Market): BookRules;
  /** REST snapshot depth that matches a book topic (for `snapshotSource: 'rest'`). */
  bookSnapshotDepth(market: Market, opts: BookTopicOptions): number;
  /**
   * Levels per side of the venue's book window for the topic chosen for `opts` (Bybit 50/200/1000, OKX 400):
   * the local book trims to it. Absent or undefined when the venue streams its whole book (Binance).
   */
  bookWindowDepth?(market: Market, opts: BookTopicOptions): number | undefined;

  tradeTopic(market: Market): StreamTopic;
  /** True when the trade stream's ids are consecutive integers per market, so holes can be detected. */
  readonly contiguousTradeIds: boolean;
  /** One frame may carry several trades (Bybit, OKX); a trade refused goes to `problems` as for `parseTrades`. */
  parseTradeFrame(payload: unknown, market: Market, receivedAt: number, problems?: ProblemSink): Trade[];

  tickerTopic(market: Market): StreamTopic;
  /** `previous` lets venues that send field deltas (Bybit linear) merge them. */
  parseTickerFrame(payload: unknown, market: Market, receivedAt: number, previous: Ticker | undefined): Ticker;

  /** Best bid/offer stream (Binance bookTicker, Bybit orderbook.1, OKX bbo-tbt). */
  bookTickerTopic(market: Market): StreamTopic;
  parseBookTickerFrame(payload: unknown, market: Market, receivedAt: number): BookTicker;

  candleTopic(market: Market, interval: string): StreamTopic;
  parseCandleFrame(payload: unknown, market: Market, interval: string, receivedAt: number): Candle[];

  /**
   * Normalizes one raw stream frame of `segment` (raw or combined form) into events; `resolve` maps a venue
   * market id to its unified symbol. Frames that carry no market data (acks, pongs) give no events.
   */
  normalizeFrame(frame: unknown, segment: string, resolve: (id: string) => string, receivedAt: number): NormalizedEvent[];
}
