/**
 * Bybit v5 market-data payloads exactly as the venue sends them (`*Response` = REST `result`, `*Frame` =
 * WebSocket). Types only; parse.ts turns them into the model. Nearly every value is a string; empty
 * strings stand for "not applicable".
 */

/** A price level `[price, size]` as strings; size `"0"` deletes the level in a delta. */
export type BybitLevel = [string, string];

// ---------------------------------------------------------------- REST envelope

/** Every REST answer: `retCode` 0 is success; errors usually come with HTTP 200 (`guide.mdx`). */
export interface BybitEnvelope<T> {
  retCode: number;
  retMsg: string;
  result: T;
  retExtInfo: unknown;
  /** Server time of the answer, ms. */
  time: number;
}

/** `GET /v5/market/time`. */
export interface BybitServerTimeResult {
  timeSecond: string;
  timeNano: string;
}

// ---------------------------------------------------------------- instruments-info

/** `GET /v5/market/instruments-info?category=spot` → `result.list[]` (fields this library reads). */
export interface BybitSpotInstrument {
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
  /** `Trading`, `PreLaunch`, ... */
  status: string;
  lotSizeFilter: {
    /** Quantity step of the base coin. */
    basePrecision: string;
    quotePrecision?: string;
    minOrderQty: string;
    maxOrderQty: string;
    minOrderAmt: string;
    maxOrderAmt: string;
    maxLimitOrderQty?: string;
    maxMarketOrderQty?: string;
  };
  priceFilter: { tickSize: string };
}

/** Linear and inverse instruments (`category=linear|inverse`). */
export interface BybitContractInstrument {
  symbol: string;
  /** `LinearPerpetual`, `LinearFutures`, `InversePerpetual`, `InverseFutures`. */
  contractType: string;
  /** `Trading`, `PreLaunch`, `Settling`, `Delivering`, `Closed`. */
  status: string;
  baseCoin: string;
  quoteCoin: string;
  settleCoin: string;
  launchTime: string;
  /** Expiry in ms as a string; `"0"` for perpetuals. */
  deliveryTime: string;
  priceScale: string;
  priceFilter: { minPrice: string; maxPrice: string; tickSize: string };
  lotSizeFilter: {
    maxOrderQty: string;
    minOrderQty: string;
    qtyStep: string;
    postOnlyMaxOrderQty?: string;
    maxMktOrderQty?: string;
    minNotionalValue?: string;
  };
  isPreListing?: boolean;
}

export interface BybitInstrumentsResult<T> {
  category: string;
  list: T[];
  /** Non-empty when another page exists. */
  nextPageCursor?: string;
}

// ---------------------------------------------------------------- market data (REST)

/** `GET /v5/market/tickers` → `result.list[]`. Spot lacks the derivative fields; inverse volumes are swapped. */
export interface BybitTicker {
  symbol: string;
  lastPrice?: string;
  bid1Price?: string;
  bid1Size?: string;
  ask1Price?: string;
  ask1Size?: string;
  prevPrice24h?: string;
  /** A fraction: `"0.0068"` is +0.68 %. */
  price24hPcnt?: string;
  highPrice24h?: string;
  lowPrice24h?: string;
  /** Base units on spot/linear; contracts (USD) on inverse. */
  volume24h?: string;
  /** Quote units on spot/linear; base coin on inverse. */
  turnover24h?: string;
  markPrice?: string;
  indexPrice?: string;
  fundingRate?: string;
  [field: string]: unknown;
}

/** `GET /v5/market/recent-trade` → `result.list[]`. */
export interface BybitRestTrade {
  execId: string;
  symbol: string;
  price: string;
  size: string;
  /** Taker side. */
  side: 'Buy' | 'Sell';
  /** ms as a string. */
  time: string;
  isBlockTrade: boolean;
  seq?: string;
}

/** `GET /v5/market/kline` → `result.list[]`, newest first: start, open, high, low, close, volume, turnover. */
export type BybitKlineRow = [string, string, string, string, string, string, string];

/** `GET /v5/market/orderbook` → `result`. */
export interface BybitOrderbookResult {
  s: string;
  b: BybitLevel[];
  a: BybitLevel[];
  /** System time, ms. */
  ts: number;
  /** Update id. */
  u: number;
  /** Cross sequence. */
  seq: number;
  /** Matching-engine time, ms. */
  cts: number;
}

// ---------------------------------------------------------------- WebSocket

/** `{"req_id":"1","op":"subscribe","args":["orderbook.50.BTCUSDT"]}`; `unsubscribe` alike. */
export interface BybitStreamRequest {
  req_id: string;
  op: 'subscribe' | 'unsubscribe' | 'ping' | 'auth';
  args?: unknown[];
}

/** Acks, failures and pongs of the public and private streams (shapes differ by category). */
export interface BybitStreamResponse {
  success?: boolean;
  ret_msg?: string;
  conn_id?: string;
  req_id?: string;
  op?: string;
  args?: string[];
  /** Option/spread acks: `COMMAND_RESP` with `data.successTopics`/`failTopics`. */
  type?: string;
  data?: { successTopics?: string[]; failTopics?: string[] };
}

/** A public data frame: `topic`, `type` (`snapshot`/`delta`), `ts`, `data`; some carry `cts` or `cs`. */
export interface BybitTopicFrame<T> {
  topic: string;
  type: 'snapshot' | 'delta';
  ts: number;
  data: T;
  cts?: number;
  cs?: number;
}

/** `orderbook.{depth}.{symbol}` data. */
export interface BybitOrderbookData {
  s: string;
  b: BybitLevel[];
  a: BybitLevel[];
  /** Update id; 1 after a service restart (then the frame is a snapshot to overwrite the book with). */
  u: number;
  /** Cross sequence across depths; rising but not contiguous. */
  seq: number;
}

/** One `publicTrade.{symbol}` entry; a frame carries several. */
export interface BybitTradeData {
  /** Trade time, ms. */
  T: number;
  s: string;
  /** Taker side. */
  S: 'Buy' | 'Sell';
  v: string;
  p: string;
  /** Tick direction (derivatives only). */
  L?: string;
  /** Trade id: UUID on derivatives, numeric string on spot. */
  i: string;
  BT: boolean;
  RPI?: boolean;
  seq?: number;
}

/** One `kline.{interval}.{symbol}` entry. */
export interface BybitKlineData {
  start: number;
  end: number;
  interval: string;
  open: string;
  close: string;
  high: string;
  low: string;
  volume: string;
  turnover: string;
  /** True once the candle closed. */
  confirm: boolean;
  timestamp: number;
}

/** `tickers.{symbol}`: spot sends snapshots; linear/inverse a snapshot then deltas with only the changed fields. */
export type BybitTickerFrame = BybitTopicFrame<BybitTicker>;
