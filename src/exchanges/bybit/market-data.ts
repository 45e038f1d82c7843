/**
 * Bybit v5 spot + linear + inverse market data as one `MarketDataAdapter`: which request, topic, parser and
 * book rules serve each unified call, plus offline normalizing of raw frames. No sockets or timers.
 */
import type { MarketDataAdapter } from '../../core/adapter.js';
import { VenueError } from '../../core/errors.js';
import type { Market, NormalizedEvent, Ticker } from '../../core/model.js';
import { formatSymbol } from '../../core/symbols.js';
import { bybitBookRules } from './book-rules.js';
import { BOOK_DEPTHS, BYBIT_CATEGORIES, BYBIT_MAINNET, IP_LIMIT, REST_DEPTH_LIMIT, VENUE, isBybitCategory, type BybitCategory, type BybitUrls } from './config.js';
import {
  parseBookFrame,
  parseBookTicker,
  parseDepthSnapshot,
  parseKlineFrame,
  parseKlines,
  nextPageCursor,
  parseMarkets,
  parseRestTicker,
  parseRestTrades,
  parseServerTime,
  parseTickerFrame,
  parseTradeFrame,
} from './parse.js';
import { BYBIT_TIMEFRAMES } from './intervals.js';
import { depthLimitFor, instrumentsInfo, kline, orderbook, recentTrades, serverTime, tickers } from './rest.js';
import { createBybitRestDialect, type BybitRestDialectOptions } from './rest-dialect.js';
import { bookDepthFor, classifyBybitFrame, createBybitStreamDialect, klineTopic, orderbookTopic, publicTradeTopic, tickersTopic, topicParts } from './stream-dialect.js';

export interface BybitMarketDataOptions extends BybitRestDialectOptions {
  /** Base URLs (default mainnet); point them at the testnet, a proxy or the simulator. */
  readonly urls?: BybitUrls;
  /** Categories to load markets from (default spot, linear, inverse). */
  readonly categories?: readonly BybitCategory[];
}

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

function categoryOf(market: Market): BybitCategory {
  if (market.venue !== 'bybit' || !isBybitCategory(market.segment)) throw invalid(`market ${market.symbol} is not a Bybit market`);
  return market.segment;
}

function asCategory(segment: string): BybitCategory {
  if (!isBybitCategory(segment)) throw invalid(`unknown Bybit category ${JSON.stringify(segment)} (spot, linear, inverse)`);
  return segment;
}

const isInverse = (market: Market): boolean => categoryOf(market) === 'inverse';

/** Bybit's market-data surface for the client. */
export function createBybitMarketData(options: BybitMarketDataOptions = {}): MarketDataAdapter {
  const urls = options.urls ?? BYBIT_MAINNET;
  const categories = options.categories ?? BYBIT_CATEGORIES;
  // Last ticker per category and id, so `normalize` can merge linear/inverse ticker deltas like the client does.
  const lastTickers = new Map<string, Ticker>();
  return {
    venue: 'bybit',
    segments: categories,
    rest: createBybitRestDialect(options),
    stream: createBybitStreamDialect(urls),
    staticRateLimits: [{ limit: IP_LIMIT.limit, scope: IP_LIMIT.scope, windowMs: IP_LIMIT.windowMs, max: IP_LIMIT.max }],

    serverTimeRequest: () => serverTime(),
    parseServerTime,

    marketsRequest: (segment) => instrumentsInfo(asCategory(segment)),
    parseMarkets: (body, segment) => parseMarkets(body, asCategory(segment)),
    nextMarketsRequest: (body, segment) => {
      const category = asCategory(segment);
      const cursor = category === 'spot' ? undefined : nextPageCursor(body);
      return cursor === undefined || cursor === '' ? undefined : instrumentsInfo(category, cursor);
    },

    // REST: spot 200, linear/inverse 500; the stream's deepest window is 1000 on every category.
    maxBookDepth: (market, via) => (via === 'fetch' ? REST_DEPTH_LIMIT[categoryOf(market)] : Math.max(...BOOK_DEPTHS)),
    depthRequest: (market, levels) => {
      const category = categoryOf(market);
      return orderbook(category, market.id, depthLimitFor(category, levels));
    },
    parseDepth: (body, market, receivedAt) => parseDepthSnapshot(body, market.symbol, receivedAt),

    tickerRequest: (market) => tickers(categoryOf(market), market.id),
    parseTicker: (body, market, receivedAt) => parseRestTicker(body, market.symbol, receivedAt, isInverse(market)),

    tradesRequest: (market, limit) => recentTrades(categoryOf(market), market.id, limit),
    parseTrades: (body, market, receivedAt, problems) => parseRestTrades(body, market.symbol, receivedAt, problems),

    timeframes: BYBIT_TIMEFRAMES,
    candlesRequest: (market, interval, opts) => {
      const o: { start?: number; limit?: number } = {};
      if (opts.since !== undefined) o.start = opts.since;
      if (opts.limit !== undefined) o.limit = opts.limit;
      return kline(categoryOf(market), market.id, interval, o);
    },
    parseCandles: (body, market, interval, receivedAt) => parseKlines(body, market.symbol, interval, receivedAt, isInverse(market)),

    // The stream sends its own snapshot (then deltas) for the depth window chosen from `opts.depth`.
    bookTopic: (market, opts) => orderbookTopic(categoryOf(market), market.id, bookDepthFor(opts.depth)),
    parseBookFrame: (payload, market, receivedAt) => parseBookFrame(payload, market.symbol, receivedAt),
    bookRules: () => bybitBookRules,
    bookSnapshotDepth: (market, opts) => Math.min(bookDepthFor(opts.depth), REST_DEPTH_LIMIT[categoryOf(market)]),
    bookWindowDepth: (_market, opts) => bookDepthFor(opts.depth),

    // Derivative trade ids are UUIDs; spot ids are numeric but carry no continuity guarantee.
    contiguousTradeIds: false,
    tradeTopic: (market) => publicTradeTopic(categoryOf(market), market.id),
    parseTradeFrame: (payload, market, receivedAt, problems) => parseTradeFrame(payload, market.symbol, receivedAt, problems),

    tickerTopic: (market) => tickersTopic(categoryOf(market), market.id),
    parseTickerFrame: (payload, market, receivedAt, previous) => parseTickerFrame(payload, market.symbol, receivedAt, previous, isInverse(market)),

    bookTickerTopic: (market) => orderbookTopic(categoryOf(market), market.id, 1),
    parseBookTickerFrame: (payload, market, receivedAt) => parseBookTicker(payload, market.symbol, receivedAt),

    candleTopic: (market, interval) => klineTopic(categoryOf(market), market.id, interval),
    parseCandleFrame: (payload, market, _interval, receivedAt) => parseKlineFrame(payload, market.symbol, receivedAt, isInverse(market)),

    normalizeFrame: (frame, segment, resolve, receivedAt) => normalizeBybitFrame(frame, asCategory(segment), resolve, receivedAt, lastTickers),
  };
}

/**
 * One raw Bybit public frame of `category` → normalized events, by topic: `orderbook.1.*` → book-ticker,
 * other depths → book, `publicTrade.*` → trades, `tickers.*` → ticker (deltas merged onto the last ticker
 * kept in `lastTickers`, when given), `kline.*` → candles. Acks, pongs and unknown topics give nothing.
 */
export function normalizeBybitFrame(
  frame: unknown,
  category: BybitCategory,
  resolve: (id: string) => string,
  receivedAt: number,
  lastTickers?: Map<string, Ticker>,
): NormalizedEvent[] {
  const role = classifyBybitFrame(frame);
  if (role.role !== 'data') return [];
  const parts = topicParts(role.topic);
  if (parts === undefined) return [];
  const venue = 'bybit' as const;
  const inverse = category === 'inverse';
  switch (parts.channel) {
    case 'orderbook': {
      const symbol = resolve(parts.id);
      if (parts.param === '1') return [{ type: 'book-ticker', venue, ...parseBookTicker(role.payload, symbol, receivedAt) }];
      return [{ type: 'book', venue, ...parseBookFrame(role.payload, symbol, receivedAt) }];
    }
    case 'publicTrade': {
      const symbol = resolve(parts.id);
      return parseTradeFrame(role.payload, symbol, receivedAt).map((t) => ({ type: 'trade', venue, ...t }));
    }
    case 'tickers': {
      const symbol = resolve(parts.id);
      const key = `${category}:${parts.id}`;
      const ticker = parseTickerFrame(role.payload, symbol, receivedAt, lastTickers?.get(key), inverse);
      lastTickers?.set(key, ticker);
      return [{ type: 'ticker', venue, ...ticker }];
    }
    case 'kline': {
      const symbol = resolve(parts.id);
      return parseKlineFrame(role.payload, symbol, receivedAt, inverse).map((c) => ({ type: 'candle', venue, ...c }));
    }
    default:
      return [];
  }
}

const QUOTES = ['USDT', 'USDC', 'USDE', 'USD1', 'FDUSD', 'BTC', 'ETH', 'EUR', 'BRL', 'TRY', 'PLN', 'DAI', 'MNT', 'USD'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Inverse futures month codes (`BTCUSDH25` = March 2025). */
const MONTH_CODES = 'FGHJKMNQUVXZ';

function splitPair(pair: string): [string, string] | undefined {
  const quote = QUOTES.find((q) => pair.endsWith(q) && pair.length > q.length);
  return quote === undefined ? undefined : [pair.slice(0, pair.length - quote.length), quote];
}

/** `26DEC25` → `251226`. */
function yymmddOf(ddmmmyy: string): string | undefined {
  const m = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(ddmmmyy);
  if (m === null) return undefined;
  const month = MONTHS.indexOf(m[2] as string);
  return month < 0 ? undefined : `${m[3] as string}${String(month + 1).padStart(2, '0')}${(m[1] as string).padStart(2, '0')}`;
}

/** The last Friday of a month, as `YYMMDD` (Bybit's quarterly inverse futures expire then). */
function lastFridayOf(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month + 1, 0));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 2) % 7));
  return `${String(year % 100).padStart(2, '0')}${String(month + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

/**
 * A best-effort unified symbol for a Bybit id without instruments-info (offline normalizing). Spot
 * `BTCUSDT` → `BTC/USDT`; linear `BTCUSDT` → `BTC/USDT:USDT`, `BTCPERP` → `BTC/USDC:USDC`,
 * `BTCUSDT-26DEC25` → `BTC/USDT:USDT-251226`, `BTC-26DEC25` → `BTC/USDC:USDC-251226`; inverse `BTCUSD` →
 * `BTC/USD:BTC`, `BTCUSDH25` → `BTC/USD:BTC-250328` (last Friday of the month). Undefined when unknown.
 */
export function guessBybitSymbol(id: string, category: BybitCategory): string | undefined {
  const upper = id.toUpperCase();
  if (category === 'spot') {
    const pair = splitPair(upper);
    return pair === undefined ? undefined : formatSymbol({ base: pair[0], quote: pair[1] });
  }
  if (category === 'inverse') {
    const m = /^([A-Z0-9]+)USD(?:([FGHJKMNQUVXZ])(\d{2}))?$/.exec(upper);
    if (m === null) return undefined;
    const base = m[1] as string;
    if (m[2] === undefined) return formatSymbol({ base, quote: 'USD', settle: base });
    const year = 2000 + Number(m[3]);
    return formatSymbol({ base, quote: 'USD', settle: base, expiry: lastFridayOf(year, MONTH_CODES.indexOf(m[2])) });
  }
  const [head = '', tail] = upper.split('-');
  if (tail !== undefined) {
    const expiry = yymmddOf(tail);
    if (expiry === undefined) return undefined;
    const pair = splitPair(head);
    const [base, quote] = pair ?? [head, 'USDC'];
    return formatSymbol({ base, quote, settle: quote, expiry });
  }
  if (head.endsWith('PERP') && head.length > 4) return formatSymbol({ base: head.slice(0, -4), quote: 'USDC', settle: 'USDC' });
  const pair = splitPair(head);
  return pair === undefined ? undefined : formatSymbol({ base: pair[0], quote: pair[1], settle: pair[1] });
}
