/**
 * Binance spot + USDⓈ-M market data as one `MarketDataAdapter`: which request, topic, parser and book
 * rules serve each unified call. Pure wiring of this folder's functions; no sockets or timers.
 */
import type { MarketDataAdapter } from '../../core/adapter.js';
import { snapshotLevelsFor } from '../../core/book/book-depth.js';
import { VenueError } from '../../core/errors.js';
import type { Market, NormalizedEvent } from '../../core/model.js';
import { binanceSpotBookRules, binanceUsdmBookRules } from './book-rules.js';
import { BINANCE_MAINNET, DEPTH_SNAPSHOT_LIMIT, isBinanceSegment } from './config.js';
import type { BinanceSegment, BinanceUrls } from './config.js';
import { BINANCE_TIMEFRAMES, toBinanceInterval } from './intervals.js';
import {
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
import { aggTrades, depth, depthLimitFor, exchangeInfo, klines, recentTrades, serverTime, ticker24h } from './rest.js';
import { createBinanceRestDialect } from './rest-dialect.js';
import type { BinanceRestDialectOptions } from './rest-dialect.js';
import { aggTradeTopic, bookTickerTopic, classifyBinanceFrame, createBinanceStreamDialect, depthTopic, klineTopic, tickerTopic, tradeTopic } from './stream-dialect.js';

export interface BinanceMarketDataOptions extends BinanceRestDialectOptions {
  /** Base URLs (default mainnet); point them at a testnet, a proxy or the simulator. */
  readonly urls?: BinanceUrls;
  /** Product lines to load markets from (default both). */
  readonly segments?: readonly BinanceSegment[];
}

function segmentOf(market: Market): BinanceSegment {
  if (!isBinanceSegment(market.segment)) {
    throw new VenueError('invalid-argument', `market ${market.symbol} is not a Binance market`, { venue: 'binance' });
  }
  return market.segment;
}

/** Binance's market-data surface for the client. */
export function createBinanceMarketData(options: BinanceMarketDataOptions = {}): MarketDataAdapter {
  const urls = options.urls ?? BINANCE_MAINNET;
  const segments = options.segments ?? (['spot', 'usdm'] as const);
  const asSegment = (segment: string): BinanceSegment => {
    if (!isBinanceSegment(segment)) throw new VenueError('invalid-argument', `unknown Binance segment ${segment}`, { venue: 'binance' });
    return segment;
  };
  return {
    venue: 'binance',
    segments,
    rest: createBinanceRestDialect(options),
    stream: createBinanceStreamDialect(urls),

    serverTimeRequest: (segment) => serverTime(asSegment(segment)),
    parseServerTime,

    marketsRequest: (segment) => exchangeInfo(asSegment(segment)),
    parseMarkets: (body, segment) => parseMarkets(body, asSegment(segment)),
    parseRateLimits: (body, segment) => parseRateLimits(body, asSegment(segment)),

    // The book is the REST snapshot kept current by the diff stream: as deep as the snapshot (spot 5000, USD-M 1000).
    maxBookDepth: (market) => DEPTH_SNAPSHOT_LIMIT[segmentOf(market)],
    depthRequest: (market, levels) => {
      const segment = segmentOf(market);
      return depth(segment, market.id, depthLimitFor(segment, levels));
    },
    parseDepth: (body, market, receivedAt) => parseDepthSnapshot(body, market.symbol, receivedAt),

    tickerRequest: (market) => ticker24h(segmentOf(market), market.id),
    parseTicker: (body, market, receivedAt) => parseTicker(body, market.symbol, receivedAt),

    tradesRequest: (market, limit) => {
      const segment = segmentOf(market);
      return segment === 'spot' ? recentTrades(segment, market.id, limit) : aggTrades(segment, market.id, limit === undefined ? {} : { limit });
    },
    parseTrades: (body, market, receivedAt, problems) =>
      segmentOf(market) === 'spot' ? parseRestTrades(body, market.symbol, receivedAt, problems) : parseAggTrades(body, market.symbol, receivedAt, problems),

    timeframes: BINANCE_TIMEFRAMES,
    candlesRequest: (market, interval, opts) => {
      const o: { startTime?: number; limit?: number } = {};
      if (opts.since !== undefined) o.startTime = opts.since;
      if (opts.limit !== undefined) o.limit = opts.limit;
      const segment = segmentOf(market);
      return klines(segment, market.id, toBinanceInterval(interval, segment), o);
    },
    parseCandles: (body, market, interval, receivedAt) => parseKlines(body, market.symbol, interval, receivedAt),

    // The fastest diff-depth stream of the whole book on both segments. The REST snapshot covers the depth
    // asked plus drift headroom (as deep as the venue allows without one), rounded to a limit the venue takes;
    // the core keeps the book within what it covered.
    bookTopic: (market) => depthTopic(segmentOf(market), market.id, '100ms'),
    parseBookFrame: (payload, market, receivedAt) => parseDepthUpdate(payload, market.symbol, receivedAt),
    bookRules: (market) => (segmentOf(market) === 'spot' ? binanceSpotBookRules : binanceUsdmBookRules),
    bookSnapshotDepth: (market, opts) => {
      const segment = segmentOf(market);
      return depthLimitFor(segment, snapshotLevelsFor(opts.depth, DEPTH_SNAPSHOT_LIMIT[segment]));
    },

    // Spot `t` (trade stream) and USD-M `a` (aggTrade stream) both count up by one per market.
    contiguousTradeIds: true,
    tradeTopic: (market) => (segmentOf(market) === 'spot' ? tradeTopic('spot', market.id) : aggTradeTopic('usdm', market.id)),
    parseTradeFrame: (payload, market, receivedAt) => [
      segmentOf(market) === 'spot' ? parseTrade(payload, market.symbol, receivedAt) : parseAggTrade(payload, market.symbol, receivedAt),
    ],

    tickerTopic: (market) => tickerTopic(segmentOf(market), market.id),
    parseTickerFrame: (payload, market, receivedAt) => parseTicker(payload, market.symbol, receivedAt),

    bookTickerTopic: (market) => bookTickerTopic(segmentOf(market), market.id),
    parseBookTickerFrame: (payload, market, receivedAt) => parseBookTicker(payload, market.symbol, receivedAt),

    candleTopic: (market, interval) => {
      const segment = segmentOf(market);
      return klineTopic(segment, market.id, toBinanceInterval(interval, segment));
    },
    parseCandleFrame: (payload, market, _interval, receivedAt) => [parseCandle(payload, market.symbol, receivedAt)],

    normalizeFrame: (frame, segment, resolve, receivedAt) => normalizeBinanceFrame(frame, asSegment(segment), resolve, receivedAt),
  };
}

/** One raw or combined Binance market frame → normalized events (event type from `e`; spot bookTicker has none). */
export function normalizeBinanceFrame(frame: unknown, _segment: BinanceSegment, resolve: (id: string) => string, receivedAt: number): NormalizedEvent[] {
  const role = classifyBinanceFrame(frame);
  // A raw frame (a `/ws/<stream>` recording) is no combined-stream frame: `unknown` to the live classifier, read as is here.
  const payload = role.role === 'data' ? role.payload : role.role === 'unknown' ? frame : undefined;
  if (typeof payload !== 'object' || payload === null) return [];
  const id = marketIdOf(payload);
  if (id === undefined) return [];
  const symbol = resolve(id);
  const venue = 'binance' as const;
  const event = (payload as { e?: unknown }).e;
  switch (event) {
    case 'depthUpdate':
      return [{ type: 'book', venue, ...parseDepthUpdate(payload, symbol, receivedAt) }];
    case 'trade':
      return [{ type: 'trade', venue, ...parseTrade(payload, symbol, receivedAt) }];
    case 'aggTrade':
      return [{ type: 'trade', venue, ...parseAggTrade(payload, symbol, receivedAt) }];
    case '24hrTicker':
      return [{ type: 'ticker', venue, ...parseTicker(payload, symbol, receivedAt) }];
    case 'kline':
      return [{ type: 'candle', venue, ...parseCandle(payload, symbol, receivedAt) }];
    case 'bookTicker':
    case undefined:
      if ('b' in payload && 'a' in payload && 'u' in payload) return [{ type: 'book-ticker', venue, ...parseBookTicker(payload, symbol, receivedAt) }];
      return [];
    default:
      return [];
  }
}

const QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USDP', 'DAI', 'BTC', 'ETH', 'BNB', 'EUR', 'TRY', 'BRL', 'JPY', 'GBP', 'AUD', 'USD'];

/**
 * A best-effort unified symbol for a Binance id without exchangeInfo (offline normalizing): the longest
 * known quote asset that ends the id. `BTCUSDT` → spot `BTC/USDT`, USD-M `BTC/USDT:USDT`; a dated USD-M id
 * `BTCUSDT_261225` → `BTC/USDT:USDT-261225`. Undefined when no known quote matches.
 */
export function guessBinanceSymbol(id: string, segment: BinanceSegment): string | undefined {
  const [pair = '', expiry] = id.toUpperCase().split('_');
  const quote = QUOTES.find((q) => pair.endsWith(q) && pair.length > q.length);
  if (quote === undefined) return undefined;
  const base = pair.slice(0, pair.length - quote.length);
  if (segment === 'spot') return `${base}/${quote}`;
  return `${base}/${quote}:${quote}${expiry !== undefined && /^\d{6}$/.test(expiry) ? '-' + expiry : ''}`;
}
