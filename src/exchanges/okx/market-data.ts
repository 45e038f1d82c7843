/**
 * OKX v5 market data (SPOT, SWAP, FUTURES) as one `MarketDataAdapter`: which request, topic, parser and book
 * rules serve each unified call, the frame normalizer of `venuekit normalize`, and the id → symbol guess it
 * uses. Pure wiring of this folder's functions; no sockets or timers.
 */
import type { MarketDataAdapter } from '../../core/adapter.js';
import { VenueError } from '../../core/errors.js';
import type { Market, NormalizedEvent } from '../../core/model.js';
import { formatSymbol } from '../../core/symbols.js';
import { okxBookRules } from './book-rules.js';
import { BOOKS_DEPTH, BOOKS_FULL_DEPTH, OKX_INST_TYPES, OKX_PRODUCTION, VENUE, isOkxInstType } from './config.js';
import type { OkxInstType, OkxUrls } from './config.js';
import {
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
} from './parse.js';
import { OKX_TIMEFRAMES } from './intervals.js';
import { OKX_RATE_LIMITS, books, candles, instruments, serverTime, ticker, trades } from './rest.js';
import { createOkxRestDialect } from './rest-dialect.js';
import { bookTopic, candleTopic, classifyOkxFrame, createOkxStreamDialect, tickersTopic, tradesTopic } from './stream-dialect.js';

export interface OkxMarketDataOptions {
  /** Base URLs (default production); point them at demo, a proxy or the simulator. */
  readonly urls?: OkxUrls;
  /** Instrument types to load markets from (default SPOT, SWAP, FUTURES). */
  readonly instTypes?: readonly OkxInstType[];
}

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

function asInstType(segment: string): OkxInstType {
  if (!isOkxInstType(segment)) throw invalid(`unknown OKX instrument type ${segment} (SPOT, SWAP, FUTURES)`);
  return segment;
}

function checkMarket(market: Market): Market {
  if (market.venue !== 'okx') throw invalid(`market ${market.symbol} is not an OKX market`);
  return market;
}

/** OKX's market-data surface for the client. */
export function createOkxMarketData(options: OkxMarketDataOptions = {}): MarketDataAdapter {
  const urls = options.urls ?? OKX_PRODUCTION;
  const segments = options.instTypes ?? OKX_INST_TYPES;
  segments.forEach(asInstType);
  return {
    venue: 'okx',
    segments,
    rest: createOkxRestDialect(urls.simulatedTrading === true ? { simulatedTrading: true } : {}),
    stream: createOkxStreamDialect(urls),

    serverTimeRequest: () => serverTime(),
    parseServerTime,

    marketsRequest: (segment) => instruments(asInstType(segment)),
    parseMarkets: (body, segment) => parseInstruments(body, asInstType(segment)),
    staticRateLimits: OKX_RATE_LIMITS,

    // REST: `books-full` up to 5000 levels; the `books` channel keeps a 400-level window.
    maxBookDepth: (market, via) => {
      checkMarket(market);
      return via === 'fetch' ? BOOKS_FULL_DEPTH : BOOKS_DEPTH;
    },
    depthRequest: (market, levels) => books(checkMarket(market).id, Math.min(Math.ceil(levels), BOOKS_FULL_DEPTH)),
    parseDepth: (body, market, receivedAt) => parseBooksResponse(body, market.symbol, receivedAt),

    tickerRequest: (market) => ticker(checkMarket(market).id),
    parseTicker: (body, market, receivedAt) => parseTickerResponse(body, market.symbol, receivedAt),

    tradesRequest: (market, limit) => trades(checkMarket(market).id, limit),
    parseTrades: (body, market, receivedAt, problems) => parseTradesResponse(body, market.symbol, receivedAt, problems),

    timeframes: OKX_TIMEFRAMES,
    candlesRequest: (market, interval, opts) => candles(checkMarket(market).id, interval, opts),
    parseCandles: (body, market, interval, receivedAt) => parseCandlesResponse(body, market.symbol, interval, market.type !== 'spot', receivedAt),

    // `books`: the 400-level window with seqId/prevSeqId; its snapshot comes in-band or from REST. The REST one
    // is the whole window (400 levels, whatever depth was asked): the venue maintains that window with its
    // updates (levels entering it are sent), so the book is complete within it. A shallower REST snapshot would
    // leave window levels unknown.
    bookTopic: (market) => bookTopic(checkMarket(market).id, 'books'),
    parseBookFrame: (payload, market, receivedAt) => parseBookPush(payload, market.symbol, receivedAt),
    bookRules: () => okxBookRules,
    bookSnapshotDepth: () => BOOKS_DEPTH,
    bookWindowDepth: () => BOOKS_DEPTH,

    // Trade ids grow per instrument, but a push aggregates `count` fills under the last id: not contiguous.
    contiguousTradeIds: false,
    tradeTopic: (market) => tradesTopic(checkMarket(market).id),
    parseTradeFrame: (payload, market, receivedAt, problems) => parseTradesPush(payload, market.symbol, receivedAt, problems),

    tickerTopic: (market) => tickersTopic(checkMarket(market).id),
    parseTickerFrame: (payload, market, receivedAt) => parseTickerPush(payload, market.symbol, receivedAt),

    bookTickerTopic: (market) => bookTopic(checkMarket(market).id, 'bbo-tbt'),
    parseBookTickerFrame: (payload, market, receivedAt) => parseBboPush(payload, market.symbol, receivedAt),

    candleTopic: (market, interval) => candleTopic(checkMarket(market).id, interval),
    parseCandleFrame: (payload, market, _interval, receivedAt) => parseCandlePush(payload, market.symbol, receivedAt),

    normalizeFrame: (frame, _segment, resolve, receivedAt) => normalizeOkxFrame(frame, resolve, receivedAt),
  };
}

const BOOK_CHANNELS: ReadonlySet<string> = new Set(['books', 'books5', 'books50-l2-tbt', 'books-l2-tbt']);

/**
 * One raw OKX push → normalized events, by `arg.channel`: book channels → `book`, `bbo-tbt` → `book-ticker`,
 * `trades` → one `trade` per fill, `tickers` → `ticker`, `candle{bar}` → `candle`. Acks, errors, notices and
 * pongs give none. The instrument type is in the id, so one normalizer serves every segment.
 */
export function normalizeOkxFrame(frame: unknown, resolve: (id: string) => string, receivedAt: number): NormalizedEvent[] {
  const role = classifyOkxFrame(frame);
  if (role.role !== 'data') return [];
  const cut = role.topic.indexOf(':');
  const channel = role.topic.slice(0, cut);
  const symbol = resolve(role.topic.slice(cut + 1));
  const venue = 'okx' as const;
  if (BOOK_CHANNELS.has(channel)) return [{ type: 'book', venue, ...parseBookPush(frame, symbol, receivedAt) }];
  if (channel === 'bbo-tbt') return [{ type: 'book-ticker', venue, ...parseBboPush(frame, symbol, receivedAt) }];
  if (channel === 'trades') return parseTradesPush(frame, symbol, receivedAt).map((t) => ({ type: 'trade', venue, ...t }));
  if (channel === 'tickers') return [{ type: 'ticker', venue, ...parseTickerPush(frame, symbol, receivedAt) }];
  if (channel.startsWith('candle')) return parseCandlePush(frame, symbol, receivedAt).map((c) => ({ type: 'candle', venue, ...c }));
  return [];
}

/**
 * The unified symbol of an OKX instrument id without the instrument list (offline normalizing): the id says
 * it all. `BTC-USDT` → `BTC/USDT`; `BTC-USDT-SWAP` → `BTC/USDT:USDT`; `BTC-USD-SWAP` → `BTC/USD:BTC` (USD
 * contracts are coin-margined); `BTC-USD-261225` → `BTC/USD:BTC-261225`. Undefined for options or odd ids.
 */
export function guessOkxSymbol(id: string): string | undefined {
  const parts = id.toUpperCase().split('-');
  const [base, quote, kind] = parts;
  if (base === undefined || base === '' || quote === undefined || quote === '') return undefined;
  if (parts.length === 2) return formatSymbol({ base, quote });
  if (parts.length !== 3 || kind === undefined) return undefined;
  const settle = quote === 'USD' ? base : quote;
  if (kind === 'SWAP') return formatSymbol({ base, quote, settle });
  if (/^\d{6}$/.test(kind)) return formatSymbol({ base, quote, settle, expiry: kind });
  return undefined;
}
