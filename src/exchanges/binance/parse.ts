/**
 * Pure Binance wire → model functions for market data (markets, rate limits, depth, trades, tickers,
 * candles, server time). Callers pass the unified symbol; nothing here looks up a registry.
 * Malformed input throws `VenueError('decode')` naming the field.
 */
import { Decimal, decimalsOf } from '../../core/decimal.js';
import { idString, updateId } from '../../core/json.js';
import type { BookTicker, Candle, DepthMessage, Market, Side, Ticker, Trade } from '../../core/model.js';
import { readRows, type ProblemSink } from '../../core/problems.js';
import { expiryCode, formatSymbol } from '../../core/symbols.js';
import type { RateLimitRule } from '../../core/venue.js';
import type { BinanceSegment } from './config.js';
import {
  asArray,
  asObject,
  decimalOf,
  fail,
  readBoolean,
  readDecimal,
  readInteger,
  readLimit,
  readOptionalDecimal,
  readOptionalInteger,
  readOptionalString,
  readString,
  type Fields,
} from './field-readers.js';
import { fromBinanceInterval } from './intervals.js';

// ---------------------------------------------------------------- markets

/** USD-M writes this delivery date (2100-12-25) on perpetuals. */
const PERPETUAL_DELIVERY_DATE = 4133404800000;

/** The filters of one symbol by type (first of each type wins), unknown types kept but unused. */
function filtersByType(value: unknown, path: string): Map<string, Fields> {
  const out = new Map<string, Fields>();
  asArray(value, path).forEach((f, i) => {
    const filter = asObject(f, `${path}[${i}]`);
    const type = readString(filter, 'filterType', `${path}[${i}].`);
    if (!out.has(type)) out.set(type, filter);
  });
  return out;
}

/** `tickSize`/`stepSize` from a filter, or `10^-precision` when the filter is missing or disabled (0). */
function stepOf(filter: Fields | undefined, key: string, path: string, fallbackPrecision: number | undefined): Decimal {
  const fromFilter = filter === undefined ? undefined : readLimit(filter, key, path);
  if (fromFilter !== undefined) return fromFilter;
  if (fallbackPrecision === undefined || fallbackPrecision < 0 || fallbackPrecision > 30) {
    fail(`${path}${key}`, 'a positive step (or a precision field to fall back on)', filter?.[key]);
  }
  return Decimal.fromScaled(1, fallbackPrecision);
}

interface TradingRules {
  tickSize: Decimal;
  stepSize: Decimal;
  minQty?: Decimal;
  maxQty?: Decimal;
  marketMinQty?: Decimal;
  marketMaxQty?: Decimal;
  minNotional?: Decimal;
  maxNotional?: Decimal;
  minPrice?: Decimal;
  maxPrice?: Decimal;
  precision: { price: number; amount: number };
}

/** Reads PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, NOTIONAL and MIN_NOTIONAL; ignores other filters. */
function tradingRules(symbol: Fields, path: string, pricePrecision: number | undefined, amountPrecision: number | undefined): TradingRules {
  const filters = filtersByType(symbol['filters'], `${path}filters`);
  const fp = (type: string): string => `${path}filters.${type}.`;
  const price = filters.get('PRICE_FILTER');
  const lot = filters.get('LOT_SIZE');
  const marketLot = filters.get('MARKET_LOT_SIZE');
  const notional = filters.get('NOTIONAL');
  const minNotionalFilter = filters.get('MIN_NOTIONAL');
  const tickSize = stepOf(price, 'tickSize', fp('PRICE_FILTER'), pricePrecision);
  const stepSize = stepOf(lot, 'stepSize', fp('LOT_SIZE'), amountPrecision);
  const rules: TradingRules = { tickSize, stepSize, precision: { price: decimalsOf(tickSize), amount: decimalsOf(stepSize) } };
  const set = <K extends keyof TradingRules>(key: K, value: TradingRules[K] | undefined): void => {
    if (value !== undefined) rules[key] = value;
  };
  if (price !== undefined) {
    set('minPrice', readLimit(price, 'minPrice', fp('PRICE_FILTER')));
    set('maxPrice', readLimit(price, 'maxPrice', fp('PRICE_FILTER')));
  }
  if (lot !== undefined) {
    set('minQty', readLimit(lot, 'minQty', fp('LOT_SIZE')));
    set('maxQty', readLimit(lot, 'maxQty', fp('LOT_SIZE')));
  }
  if (marketLot !== undefined) {
    set('marketMinQty', readLimit(marketLot, 'minQty', fp('MARKET_LOT_SIZE')));
    set('marketMaxQty', readLimit(marketLot, 'maxQty', fp('MARKET_LOT_SIZE')));
  }
  if (notional !== undefined) {
    set('minNotional', readLimit(notional, 'minNotional', fp('NOTIONAL')));
    set('maxNotional', readLimit(notional, 'maxNotional', fp('NOTIONAL')));
  }
  if (rules.minNotional === undefined && minNotionalFilter !== undefined) {
    // Spot (legacy) writes `minNotional`; USD-M writes `notional` in the same filter.
    const key = minNotionalFilter['minNotional'] !== undefined ? 'minNotional' : 'notional';
    set('minNotional', readLimit(minNotionalFilter, key, fp('MIN_NOTIONAL')));
  }
  return rules;
}

function spotMarket(s: Fields, path: string): Market {
  const id = readString(s, 'symbol', path);
  const base = readString(s, 'baseAsset', path);
  const quote = readString(s, 'quoteAsset', path);
  const status = readString(s, 'status', path);
  const rules = tradingRules(s, path, readOptionalInteger(s, 'quoteAssetPrecision', path) ?? readOptionalInteger(s, 'quotePrecision', path), readOptionalInteger(s, 'baseAssetPrecision', path));
  return {
    symbol: formatSymbol({ base, quote }),
    id,
    venue: 'binance',
    type: 'spot',
    segment: 'spot',
    base,
    quote,
    status: status === 'TRADING' ? 'active' : 'inactive',
    venueStatus: status,
    ...rules,
  };
}

function usdmMarket(s: Fields, path: string): Market {
  const id = readString(s, 'symbol', path);
  const base = readString(s, 'baseAsset', path);
  const quote = readString(s, 'quoteAsset', path);
  const settle = readString(s, 'marginAsset', path);
  const status = readString(s, 'status', path);
  const contractType = readOptionalString(s, 'contractType', path) ?? '';
  const deliveryDate = readInteger(s, 'deliveryDate', path);
  // Perpetuals: PERPETUAL, TRADIFI_PERPETUAL, PERPETUAL_DELIVERING, or "" with the year-2100 delivery date.
  const perpetual = contractType.includes('PERPETUAL') || deliveryDate >= PERPETUAL_DELIVERY_DATE;
  const rules = tradingRules(s, path, readOptionalInteger(s, 'pricePrecision', path), readOptionalInteger(s, 'quantityPrecision', path));
  const market: Market = {
    symbol: perpetual ? formatSymbol({ base, quote, settle }) : formatSymbol({ base, quote, settle, expiry: expiryCode(deliveryDate) }),
    id,
    venue: 'binance',
    type: perpetual ? 'swap' : 'future',
    segment: 'usdm',
    base,
    quote,
    settle,
    linear: true,
    contractSize: Decimal.ONE,
    status: status === 'TRADING' ? 'active' : 'inactive',
    venueStatus: status,
    ...rules,
  };
  return perpetual ? market : { ...market, expiry: deliveryDate };
}

/**
 * Markets from `GET /api/v3/exchangeInfo` (spot: `BASE/QUOTE`) or `GET /fapi/v1/exchangeInfo` (USD-M:
 * `BASE/QUOTE:MARGIN` for perpetuals, `BASE/QUOTE:MARGIN-YYMMDD` for delivery contracts).
 * @throws {VenueError} `decode` naming the first malformed field.
 */
export function parseMarkets(body: unknown, segment: BinanceSegment): Market[] {
  const symbols = asArray(asObject(body, 'exchangeInfo')['symbols'], 'symbols');
  const build = segment === 'spot' ? spotMarket : usdmMarket;
  return symbols.map((s, i) => build(asObject(s, `symbols[${i}]`), `symbols[${i}].`));
}

// ---------------------------------------------------------------- rate limits

const INTERVAL_MS: Readonly<Record<string, number>> = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };
const LIMIT_SCOPE: Readonly<Record<string, string>> = { REQUEST_WEIGHT: 'ip', RAW_REQUESTS: 'ip', ORDERS: 'account' };

/**
 * Rate-limit rules announced in `exchangeInfo.rateLimits`. REQUEST_WEIGHT and RAW_REQUESTS are metered
 * per IP, ORDERS per account; unknown limit types are skipped. The rules of each segment are separate
 * pools on Binance (spot weight does not count against USD-M weight).
 * @throws {VenueError} `decode` naming the malformed entry.
 */
export function parseRateLimits(body: unknown, _segment: BinanceSegment): RateLimitRule[] {
  const entries = asArray(asObject(body, 'exchangeInfo')['rateLimits'], 'rateLimits');
  const rules: RateLimitRule[] = [];
  entries.forEach((e, i) => {
    const path = `rateLimits[${i}].`;
    const entry = asObject(e, `rateLimits[${i}]`);
    const limit = readString(entry, 'rateLimitType', path);
    const scope = LIMIT_SCOPE[limit];
    if (scope === undefined) return;
    const interval = readString(entry, 'interval', path);
    const unitMs = INTERVAL_MS[interval];
    if (unitMs === undefined) fail(`${path}interval`, 'SECOND, MINUTE, HOUR or DAY', interval);
    const intervalNum = readInteger(entry, 'intervalNum', path);
    const max = readInteger(entry, 'limit', path);
    if (intervalNum <= 0) fail(`${path}intervalNum`, 'a positive integer', intervalNum);
    if (max <= 0) fail(`${path}limit`, 'a positive integer', max);
    rules.push({ limit, scope, windowMs: unitMs * intervalNum, max });
  });
  return rules;
}

// ---------------------------------------------------------------- order book

function levels(value: unknown, path: string): ReadonlyArray<ReadonlyArray<string>> {
  if (!Array.isArray(value)) fail(path, 'an array of [price, quantity]', value);
  return value as ReadonlyArray<ReadonlyArray<string>>;
}

/**
 * A REST depth snapshot (`GET /api/v3/depth`, `GET /fapi/v1/depth`). `seq` = `lastUpdateId`; levels are
 * the payload's own arrays. `exchangeTime` = USD-M `E` (or `T`), else `receivedAt` (spot sends no time).
 */
export function parseDepthSnapshot(body: unknown, symbol: string, receivedAt: number): DepthMessage {
  const o = asObject(body, 'depth');
  return {
    kind: 'snapshot',
    symbol,
    seq: updateId(o['lastUpdateId'], 'lastUpdateId'),
    bids: levels(o['bids'], 'bids'),
    asks: levels(o['asks'], 'asks'),
    exchangeTime: readOptionalInteger(o, 'E', '') ?? readOptionalInteger(o, 'T', '') ?? receivedAt,
    receivedAt,
  };
}

/**
 * A `depthUpdate` stream event: `seq` = `u`, `firstSeq` = `U`, and on USD-M `prevSeq` = `pu`.
 * Levels are the frame's own `b`/`a` arrays (size `"0"` removes a level).
 */
export function parseDepthUpdate(frame: unknown, symbol: string, receivedAt: number): DepthMessage {
  const o = asObject(frame, 'depthUpdate');
  const msg: { -readonly [K in keyof DepthMessage]: DepthMessage[K] } = {
    kind: 'delta',
    symbol,
    seq: updateId(o['u'], 'u'),
    firstSeq: updateId(o['U'], 'U'),
    bids: levels(o['b'], 'b'),
    asks: levels(o['a'], 'a'),
    exchangeTime: readInteger(o, 'E', ''),
    receivedAt,
  };
  if (o['pu'] !== undefined) msg.prevSeq = updateId(o['pu'], 'pu');
  return msg;
}

// ---------------------------------------------------------------- trades

/** Binance `m`/`isBuyerMaker`: true when the buyer was the maker, i.e. the taker sold. */
function takerSide(buyerIsMaker: boolean): Side {
  return buyerIsMaker ? 'sell' : 'buy';
}

/** A trade's price or quantity: a decimal above zero (a trade of nothing, or at no price, is nonsense). */
function readPositiveDecimal(o: Fields, key: string, path: string, what: string): Decimal {
  const d = readDecimal(o, key, path);
  if (!d.isPositive()) fail(`${path}${key}`, `a positive ${what}`, o[key]);
  return d;
}

/** One trade from its id, price, quantity, maker-flag and time keys. @throws {VenueError} `decode`, also on price or quantity ≤ 0. */
function tradeOf(o: Fields, keys: readonly [string, string, string, string, string], symbol: string, receivedAt: number, path: string): Trade {
  const [id, price, qty, maker, time] = keys;
  return {
    symbol,
    id: idString(o[id], `${path}${id}`),
    price: readPositiveDecimal(o, price, path, 'price'),
    amount: readPositiveDecimal(o, qty, path, 'quantity'),
    side: takerSide(readBoolean(o, maker, path)),
    exchangeTime: readInteger(o, time, path),
    receivedAt,
  };
}

/** A `<symbol>@trade` event (spot). @throws {VenueError} `decode`, also on a price or quantity ≤ 0. */
export function parseTrade(frame: unknown, symbol: string, receivedAt: number): Trade {
  return tradeOf(asObject(frame, 'trade'), ['t', 'p', 'q', 'm', 'T'], symbol, receivedAt, '');
}

/** A `<symbol>@aggTrade` event or a `GET /api/v3/aggTrades` row; the id is the aggregate id `a`. */
export function parseAggTrade(frame: unknown, symbol: string, receivedAt: number, path = ''): Trade {
  return tradeOf(asObject(frame, path === '' ? 'aggTrade' : path.slice(0, -1)), ['a', 'p', 'q', 'm', 'T'], symbol, receivedAt, path);
}

/** `GET /api/v3/aggTrades` / `GET /fapi/v1/aggTrades`. A row refused goes to `problems` when given, else throws. */
export function parseAggTrades(body: unknown, symbol: string, receivedAt: number, problems?: ProblemSink): Trade[] {
  return readRows('binance', asArray(body, 'aggTrades'), (row, i) => parseAggTrade(row, symbol, receivedAt, `[${i}].`), problems, (i) => `[${i}]`, 'trade refused');
}

/** `GET /api/v3/trades` / `GET /fapi/v1/trades` (recent trades, `isBuyerMaker`). A row refused goes to `problems` when given, else throws. */
export function parseRestTrades(body: unknown, symbol: string, receivedAt: number, problems?: ProblemSink): Trade[] {
  const read = (row: unknown, i: number): Trade => tradeOf(asObject(row, `[${i}]`), ['id', 'price', 'qty', 'isBuyerMaker', 'time'], symbol, receivedAt, `[${i}].`);
  return readRows('binance', asArray(body, 'trades'), read, problems, (i) => `[${i}]`, 'trade refused');
}

// ---------------------------------------------------------------- tickers

/** Copies the defined entries of `fields` onto `target` (keeps optional model fields truly absent). */
function withDefined<T extends object>(target: T, fields: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  return target;
}

/**
 * A 24 h ticker: the `<symbol>@ticker` event (`e: "24hrTicker"`), the `<symbol>@miniTicker` event
 * (`e: "24hrMiniTicker"`: last, open, high, low, volumes only) or one `GET /api/v3/ticker/24hr` /
 * `GET /fapi/v1/ticker/24hr` object (FULL or MINI). REST `exchangeTime` is `closeTime`. Every figure is
 * optional (a missing one is left out, the ticker stands); a malformed one is a decode error.
 */
export function parseTicker(payload: unknown, symbol: string, receivedAt: number): Ticker {
  const o = asObject(payload, 'ticker');
  if (o['e'] !== undefined) {
    const mini = o['e'] === '24hrMiniTicker';
    if (!mini && o['e'] !== '24hrTicker') fail('e', '"24hrTicker" or "24hrMiniTicker"', o['e']);
    const common = {
      last: readOptionalDecimal(o, 'c', ''),
      open: readOptionalDecimal(o, 'o', ''),
      high: readOptionalDecimal(o, 'h', ''),
      low: readOptionalDecimal(o, 'l', ''),
      baseVolume: readOptionalDecimal(o, 'v', ''),
      quoteVolume: readOptionalDecimal(o, 'q', ''),
    };
    const ticker = withDefined({ symbol, exchangeTime: readOptionalInteger(o, 'E', '') ?? receivedAt, receivedAt } as Ticker, common);
    if (mini) return ticker;
    return withDefined(ticker, {
      bid: readOptionalDecimal(o, 'b', ''),
      bidSize: readOptionalDecimal(o, 'B', ''),
      ask: readOptionalDecimal(o, 'a', ''),
      askSize: readOptionalDecimal(o, 'A', ''),
      change: readOptionalDecimal(o, 'p', ''),
      percentage: readOptionalDecimal(o, 'P', ''),
      vwap: readOptionalDecimal(o, 'w', ''),
    });
  }
  return withDefined({ symbol, exchangeTime: readOptionalInteger(o, 'closeTime', '') ?? receivedAt, receivedAt } as Ticker, {
    last: readOptionalDecimal(o, 'lastPrice', ''),
    bid: readOptionalDecimal(o, 'bidPrice', ''),
    bidSize: readOptionalDecimal(o, 'bidQty', ''),
    ask: readOptionalDecimal(o, 'askPrice', ''),
    askSize: readOptionalDecimal(o, 'askQty', ''),
    open: readOptionalDecimal(o, 'openPrice', ''),
    high: readOptionalDecimal(o, 'highPrice', ''),
    low: readOptionalDecimal(o, 'lowPrice', ''),
    baseVolume: readOptionalDecimal(o, 'volume', ''),
    quoteVolume: readOptionalDecimal(o, 'quoteVolume', ''),
    change: readOptionalDecimal(o, 'priceChange', ''),
    percentage: readOptionalDecimal(o, 'priceChangePercent', ''),
    vwap: readOptionalDecimal(o, 'weightedAvgPrice', ''),
  });
}

/**
 * Best bid/offer: the `<symbol>@bookTicker` event (spot `u`,`s`,`b`,`B`,`a`,`A`; USD-M adds `E`,`T`) or a
 * `GET .../ticker/bookTicker` object (USD-M adds `time`). Spot stream and REST carry no time: `receivedAt`.
 */
export function parseBookTicker(payload: unknown, symbol: string, receivedAt: number): BookTicker {
  const o = asObject(payload, 'bookTicker');
  if (o['bidPrice'] !== undefined) {
    return {
      symbol,
      bid: readDecimal(o, 'bidPrice', ''),
      bidSize: readDecimal(o, 'bidQty', ''),
      ask: readDecimal(o, 'askPrice', ''),
      askSize: readDecimal(o, 'askQty', ''),
      exchangeTime: readOptionalInteger(o, 'time', '') ?? receivedAt,
      receivedAt,
    };
  }
  return {
    symbol,
    bid: readDecimal(o, 'b', ''),
    bidSize: readDecimal(o, 'B', ''),
    ask: readDecimal(o, 'a', ''),
    askSize: readDecimal(o, 'A', ''),
    updateId: updateId(o['u'], 'u'),
    exchangeTime: readOptionalInteger(o, 'E', '') ?? readOptionalInteger(o, 'T', '') ?? receivedAt,
    receivedAt,
  };
}

// ---------------------------------------------------------------- candles

/** A `<symbol>@kline_<interval>` event; `closed` is the frame's `k.x`. */
export function parseCandle(frame: unknown, symbol: string, receivedAt: number): Candle {
  const o = asObject(frame, 'kline');
  const k = asObject(o['k'], 'k');
  return {
    symbol,
    interval: fromBinanceInterval(k['i'], 'k.i'),
    openTime: readInteger(k, 't', 'k.'),
    open: readDecimal(k, 'o', 'k.'),
    high: readDecimal(k, 'h', 'k.'),
    low: readDecimal(k, 'l', 'k.'),
    close: readDecimal(k, 'c', 'k.'),
    volume: readDecimal(k, 'v', 'k.'),
    quoteVolume: readDecimal(k, 'q', 'k.'),
    closed: readBoolean(k, 'x', 'k.'),
    exchangeTime: readInteger(o, 'E', ''),
    receivedAt,
  };
}

function rowInteger(row: readonly unknown[], index: number, path: string): number {
  const v = row[index];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(`${path}[${index}]`, 'an integer', v);
  return v;
}

/**
 * `GET /api/v3/klines` / `GET /fapi/v1/klines` rows. The last row may still be forming: a row counts as
 * closed when its close time is before `receivedAt`; `exchangeTime` is the close time of closed rows and
 * `receivedAt` for the forming one.
 */
export function parseKlines(body: unknown, symbol: string, interval: string, receivedAt: number): Candle[] {
  return asArray(body, 'klines').map((r, i) => {
    const path = `[${i}]`;
    const row = asArray(r, path);
    const closeTime = rowInteger(row, 6, path);
    const closed = closeTime < receivedAt;
    return {
      symbol,
      interval,
      openTime: rowInteger(row, 0, path),
      open: decimalOf(row[1], `${path}[1]`),
      high: decimalOf(row[2], `${path}[2]`),
      low: decimalOf(row[3], `${path}[3]`),
      close: decimalOf(row[4], `${path}[4]`),
      volume: decimalOf(row[5], `${path}[5]`),
      quoteVolume: decimalOf(row[7], `${path}[7]`),
      closed,
      exchangeTime: closed ? closeTime : receivedAt,
      receivedAt,
    };
  });
}

// ---------------------------------------------------------------- misc

/** `{"serverTime": ms}` from `GET /api/v3/time` / `GET /fapi/v1/time`. */
export function parseServerTime(body: unknown): number {
  return readInteger(asObject(body, 'time'), 'serverTime', '');
}

/** The venue market id a market-data payload is about (`s`, or `symbol` in REST), if any. */
export function marketIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const o = payload as Fields;
  const id = o['s'] ?? o['symbol'];
  return typeof id === 'string' ? id : undefined;
}
