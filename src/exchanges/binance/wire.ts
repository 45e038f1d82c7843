/**
 * Binance spot and USDⓈ-M market-data payloads exactly as the venue sends them (`*Response` = REST,
 * `*Frame` = WebSocket). Types only; parse.ts turns them into the model. Ids may be strings after
 * `parseJson` when they exceed 2^53, hence `WireId`.
 */

/** An integer id or timestamp as decoded by `parseJson`: a number, or a decimal string beyond 2^53. */
export type WireId = number | string;

/** A price level `[price, quantity]` as strings. */
export type BinanceLevel = [string, string];

// ---------------------------------------------------------------- errors and control

/** REST error body. spot `rest-api.md` "Error Codes"; e.g. `{"code":-1121,"msg":"Invalid symbol."}`. */
export interface BinanceErrorResponse {
  code: number;
  msg: string;
}

/** `GET /api/v3/time`, `GET /fapi/v1/time`. */
export interface BinanceServerTimeResponse {
  serverTime: number;
}

// ---------------------------------------------------------------- exchangeInfo

/** `rateLimits[]` entry (spot `rest-api.md` "Exchange information"; WS API adds `count`). */
export interface BinanceRateLimit {
  rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS' | string;
  interval: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | string;
  intervalNum: number;
  limit: number;
  count?: number;
}

/** Symbol filters (spot `filters.md`; USD-M uses the same names, `MIN_NOTIONAL` carries `notional`). */
export type BinanceSymbolFilter =
  | { filterType: 'PRICE_FILTER'; minPrice: string; maxPrice: string; tickSize: string }
  | { filterType: 'LOT_SIZE'; minQty: string; maxQty: string; stepSize: string }
  | { filterType: 'MARKET_LOT_SIZE'; minQty: string; maxQty: string; stepSize: string }
  /** Spot (legacy) has `minNotional`; USD-M has `notional`. */
  | { filterType: 'MIN_NOTIONAL'; minNotional?: string; notional?: string; applyToMarket?: boolean; avgPriceMins?: number }
  | {
      filterType: 'NOTIONAL';
      minNotional: string;
      applyMinToMarket?: boolean;
      maxNotional?: string;
      applyMaxToMarket?: boolean;
      avgPriceMins?: number;
    }
  | { filterType: 'PERCENT_PRICE'; multiplierUp: string; multiplierDown: string; avgPriceMins?: number; multiplierDecimal?: string }
  | {
      filterType: 'PERCENT_PRICE_BY_SIDE';
      bidMultiplierUp: string;
      bidMultiplierDown: string;
      askMultiplierUp: string;
      askMultiplierDown: string;
      avgPriceMins: number;
    }
  | { filterType: 'ICEBERG_PARTS'; limit: number }
  | { filterType: 'MAX_NUM_ORDERS'; maxNumOrders?: number; limit?: number }
  | { filterType: 'MAX_NUM_ALGO_ORDERS'; maxNumAlgoOrders?: number; limit?: number }
  | { filterType: 'MAX_NUM_ORDER_AMENDS'; maxNumOrderAmends: number }
  | { filterType: 'MAX_POSITION'; maxPosition: string }
  | {
      filterType: 'TRAILING_DELTA';
      minTrailingAboveDelta: number;
      maxTrailingAboveDelta: number;
      minTrailingBelowDelta: number;
      maxTrailingBelowDelta: number;
    }
  | { filterType: string; [field: string]: unknown };

/** `GET /api/v3/exchangeInfo` → `symbols[]` (fields this library reads; the venue sends more). */
export interface BinanceSpotSymbol {
  symbol: string;
  /** `TRADING`, `BREAK`, `HALT`, `END_OF_DAY`, `PRE_TRADING`, `POST_TRADING`, `AUCTION_MATCH`. */
  status: string;
  baseAsset: string;
  baseAssetPrecision: number;
  quoteAsset: string;
  quotePrecision?: number;
  quoteAssetPrecision?: number;
  orderTypes?: string[];
  isSpotTradingAllowed?: boolean;
  isMarginTradingAllowed?: boolean;
  filters: BinanceSymbolFilter[];
  permissions?: string[];
  permissionSets?: string[][];
}

/** `GET /api/v3/exchangeInfo`. */
export interface BinanceSpotExchangeInfoResponse {
  timezone: string;
  serverTime: number;
  rateLimits: BinanceRateLimit[];
  exchangeFilters: Array<{ filterType: string; [field: string]: unknown }>;
  symbols: BinanceSpotSymbol[];
}

/** `GET /fapi/v1/exchangeInfo` → `symbols[]`. */
export interface BinanceUsdmSymbol {
  symbol: string;
  pair: string;
  /** `PERPETUAL`, `CURRENT_QUARTER`, `NEXT_QUARTER`, `TRADIFI_PERPETUAL`, ... or `""` (pre-listing, settled). */
  contractType: string;
  /** Expiry in ms; perpetuals carry 4133404800000 (2100-12-25). */
  deliveryDate: number;
  onboardDate: number;
  /** `TRADING`, `PENDING_TRADING`, `PRE_DELIVERING`, `DELIVERING`, `DELIVERED`, `SETTLING`, `CLOSE`. */
  status: string;
  baseAsset: string;
  quoteAsset: string;
  marginAsset: string;
  pricePrecision: number;
  quantityPrecision: number;
  baseAssetPrecision?: number;
  quotePrecision?: number;
  underlyingType?: string;
  filters: BinanceSymbolFilter[];
  orderTypes?: string[];
  timeInForce?: string[];
}

/** `GET /fapi/v1/exchangeInfo`. */
export interface BinanceUsdmExchangeInfoResponse {
  timezone: string;
  serverTime: number;
  futuresType?: string;
  rateLimits: BinanceRateLimit[];
  exchangeFilters: unknown[];
  assets?: Array<{ asset: string; marginAvailable: boolean; autoAssetExchange: string | null }>;
  symbols: BinanceUsdmSymbol[];
}

// ---------------------------------------------------------------- order book

/** `GET /api/v3/depth` (no `E`/`T`) and `GET /fapi/v1/depth` (with `E`, `T`). */
export interface BinanceDepthResponse {
  lastUpdateId: WireId;
  /** USD-M only: message output time. */
  E?: number;
  /** USD-M only: transaction time. */
  T?: number;
  bids: BinanceLevel[];
  asks: BinanceLevel[];
}

/** `<symbol>@depth[@100ms]`. Spot: `U`, `u`. USD-M adds `T` and `pu` (the previous event's `u`). */
export interface BinanceDepthUpdateFrame {
  e: 'depthUpdate';
  E: number;
  T?: number;
  s: string;
  U: WireId;
  u: WireId;
  pu?: WireId;
  b: BinanceLevel[];
  a: BinanceLevel[];
}

// ---------------------------------------------------------------- trades

/** `<symbol>@trade` (spot only). `m` true: the buyer was the maker, so the taker sold. */
export interface BinanceTradeFrame {
  e: 'trade';
  E: number;
  s: string;
  t: WireId;
  p: string;
  q: string;
  T: number;
  m: boolean;
  /** Spot only; ignore. */
  M?: boolean;
}

/** `<symbol>@aggTrade` and the rows of `GET /api/v3/aggTrades` (which lack `e`, `E`, `s`). */
export interface BinanceAggTradeFrame {
  e: 'aggTrade';
  E: number;
  s: string;
  a: WireId;
  p: string;
  q: string;
  f: WireId;
  l: WireId;
  T: number;
  m: boolean;
  M?: boolean;
}

/** `GET /api/v3/trades`, `GET /fapi/v1/trades` rows. */
export interface BinanceRestTrade {
  id: WireId;
  price: string;
  qty: string;
  quoteQty: string;
  time: number;
  isBuyerMaker: boolean;
  /** Spot only. */
  isBestMatch?: boolean;
}

// ---------------------------------------------------------------- candles

/**
 * `GET /api/v3/klines`, `GET /fapi/v1/klines` rows: open time, open, high, low, close, volume, close
 * time, quote volume, trade count, taker buy base volume, taker buy quote volume, ignore.
 */
export type BinanceKlineRow = [number, string, string, string, string, string, number, string, number, string, string, string];

/** `<symbol>@kline_<interval>`. */
export interface BinanceKlineFrame {
  e: 'kline';
  E: number;
  s: string;
  k: {
    t: number;
    T: number;
    s: string;
    i: string;
    f: WireId;
    L: WireId;
    o: string;
    c: string;
    h: string;
    l: string;
    v: string;
    n: number;
    /** True once the candle is closed. */
    x: boolean;
    q: string;
    V: string;
    Q: string;
    B: string;
  };
}

// ---------------------------------------------------------------- tickers

/** `<symbol>@ticker`. Spot adds previous close `x` and best bid/ask `b`,`B`,`a`,`A`; USD-M has none of them. */
export interface BinanceTicker24hFrame {
  e: '24hrTicker';
  E: number;
  s: string;
  p: string;
  P: string;
  w: string;
  x?: string;
  c: string;
  Q: string;
  b?: string;
  B?: string;
  a?: string;
  A?: string;
  o: string;
  h: string;
  l: string;
  v: string;
  q: string;
  O: number;
  C: number;
  F: WireId;
  L: WireId;
  n: number;
}

/** `<symbol>@miniTicker`: the 24 h window without change, average or book fields. */
export interface BinanceMiniTickerFrame {
  e: '24hrMiniTicker';
  E: number;
  s: string;
  c: string;
  o: string;
  h: string;
  l: string;
  v: string;
  q: string;
}

/** `GET /api/v3/ticker/24hr` (FULL; MINI lacks the change and book fields) and `GET /fapi/v1/ticker/24hr`. */
export interface BinanceTicker24hResponse {
  symbol: string;
  priceChange?: string;
  priceChangePercent?: string;
  weightedAvgPrice?: string;
  prevClosePrice?: string;
  lastPrice: string;
  lastQty?: string;
  bidPrice?: string;
  bidQty?: string;
  askPrice?: string;
  askQty?: string;
  openPrice: string;
  highPrice: string;
  lowPrice: string;
  volume: string;
  quoteVolume: string;
  openTime: number;
  closeTime: number;
  firstId: WireId;
  lastId: WireId;
  count: number;
}

/** `<symbol>@bookTicker`. Spot: `u`, `s`, `b`, `B`, `a`, `A` only; USD-M adds `e`, `E`, `T`. */
export interface BinanceBookTickerFrame {
  e?: 'bookTicker';
  u: WireId;
  E?: number;
  T?: number;
  s: string;
  b: string;
  B: string;
  a: string;
  A: string;
}

/** `GET /api/v3/ticker/bookTicker`, `GET /fapi/v1/ticker/bookTicker` (USD-M adds `time`). */
export interface BinanceBookTickerResponse {
  symbol: string;
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
  time?: number;
}

// ---------------------------------------------------------------- stream control

/** Client → server stream control (`web-socket-streams.md` "Live Subscribing/Unsubscribing"). */
export interface BinanceStreamRequest {
  method: 'SUBSCRIBE' | 'UNSUBSCRIBE' | 'LIST_SUBSCRIPTIONS' | 'SET_PROPERTY' | 'GET_PROPERTY';
  params?: Array<string | boolean>;
  id: number;
}

/** Success answer to a control message: `result` is null (or a list for LIST_SUBSCRIPTIONS). */
export interface BinanceStreamResponse {
  result: null | string[] | boolean;
  id: number | string | null;
}

/** Error answer to a control message (codes 0 to 3). */
export interface BinanceStreamErrorResponse {
  error: { code: number; msg: string };
  id: number | string | null;
}

/** A frame on a combined-stream connection (`/stream`). */
export interface BinanceCombinedFrame<T = unknown> {
  stream: string;
  data: T;
}

/** Sent before the server closes the connection (`!serverShutdown` on combined streams). */
export interface BinanceServerShutdownFrame {
  e: 'serverShutdown';
  E: number;
}
