/**
 * OKX v5 wire types for market data, as the venue sends them (protocols.md §4; fixtures in
 * test/fixtures/okx/). Every REST body is an envelope `{code, msg, data}`; values are strings except the
 * book sequence fields (`seqId`, `prevSeqId`, `checksum`), which are JSON numbers. Types only.
 */

/** `{"code":"0","msg":"","data":[...]}`. A non-"0" `code` is an error (a 404 body has a numeric `code`). */
export interface OkxEnvelope<T> {
  readonly code: string | number;
  readonly msg: string;
  readonly data: readonly T[];
}

/** One row of `GET /api/v5/public/instruments?instType=...` (fields that do not apply are `""`). */
export interface OkxInstrument {
  readonly instType: string;
  readonly instId: string;
  /** Underlying (`BTC-USD`) for derivatives; `""` for spot. */
  readonly uly: string;
  /** Instrument family (newer schema), same as `uly` for SWAP/FUTURES. */
  readonly instFamily?: string;
  /** Spot only. */
  readonly baseCcy: string;
  readonly quoteCcy: string;
  /** Derivatives only. */
  readonly settleCcy: string;
  /** Contract value and its currency (derivatives). */
  readonly ctVal: string;
  readonly ctMult: string;
  readonly ctValCcy: string;
  /** `linear` | `inverse` (derivatives). */
  readonly ctType: string;
  /** Expiry in ms (FUTURES). */
  readonly expTime: string;
  readonly listTime: string;
  readonly tickSz: string;
  readonly lotSz: string;
  readonly minSz: string;
  readonly maxLmtSz: string;
  readonly maxMktSz: string;
  /** `live`, `suspend`, `preopen`, `test`... */
  readonly state: string;
}

/** `GET /api/v5/public/time` row. */
export interface OkxServerTime {
  readonly ts: string;
}

/** `[price, size, "0" (deprecated liquidated orders), numOrders]`. */
export type OkxLevel = readonly [string, string, string, string];

/** A book: `GET /api/v5/market/books` row, and the `data[0]` of `books`, `books5`, `bbo-tbt` pushes. */
export interface OkxBookData {
  readonly asks: readonly OkxLevel[];
  readonly bids: readonly OkxLevel[];
  readonly ts: string;
  /** Per-instrument sequence (absent in recordings from before 2022-2023). */
  readonly seqId?: number;
  /** `-1` on a snapshot; equal to `seqId` on a heartbeat update; greater than `seqId` on a venue reset. */
  readonly prevSeqId?: number;
  /** Signed CRC32 of the top 25 levels; 0 since 2026-06-23 (production). */
  readonly checksum?: number;
  /** `books5` only. */
  readonly instId?: string;
}

/** Ticker (`GET /api/v5/market/ticker(s)` row and `tickers` push). */
export interface OkxTicker {
  readonly instType: string;
  readonly instId: string;
  readonly last: string;
  readonly lastSz: string;
  readonly askPx: string;
  readonly askSz: string;
  readonly bidPx: string;
  readonly bidSz: string;
  readonly open24h: string;
  readonly high24h: string;
  readonly low24h: string;
  /** Spot: quote volume; derivatives: base-currency volume. */
  readonly volCcy24h: string;
  /** Spot: base volume; derivatives: contracts. */
  readonly vol24h: string;
  readonly sodUtc0: string;
  readonly sodUtc8: string;
  readonly ts: string;
}

/** Public trade (`GET /api/v5/market/trades` row and `trades` push). `side` is the taker's. */
export interface OkxTrade {
  readonly instId: string;
  readonly tradeId: string;
  readonly px: string;
  /** Base units for spot, contracts for SWAP/FUTURES. */
  readonly sz: string;
  readonly side: 'buy' | 'sell';
  readonly ts: string;
  /** Trades aggregated into this push (`trades` channel); `tradeId` is the last of them. */
  readonly count?: string;
  readonly seqId?: number;
}

/**
 * Candle row `[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]`: `vol` in base (spot) or contracts,
 * `volCcy` in quote (spot) or base (derivatives), `confirm` `"1"` once closed. REST rows come newest first.
 */
export type OkxCandleRow = readonly string[];

/** Subscription argument; also the `arg` of every push and ack. */
export interface OkxChannelArg {
  readonly channel: string;
  readonly instId?: string;
  readonly instType?: string;
}

/** A data push: `{"arg":{...},"action"?:"snapshot"|"update","data":[...]}`. */
export interface OkxPush<T> {
  readonly arg: OkxChannelArg;
  readonly action?: 'snapshot' | 'update';
  readonly data: readonly T[];
}

/** `{"id":"1512","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]}`. */
export interface OkxStreamRequest {
  readonly id: string;
  readonly op: 'subscribe' | 'unsubscribe';
  readonly args: readonly OkxChannelArg[];
}

/**
 * Control events: `subscribe`/`unsubscribe` acks (`arg`, `connId`, `id` when the request had one),
 * `error` (`code`, `msg`), `notice` (`64008`: reconnect before a service upgrade), `login`, `channel-conn-count`.
 */
export interface OkxEventFrame {
  readonly event: string;
  readonly id?: string;
  readonly arg?: OkxChannelArg;
  readonly code?: string;
  readonly msg?: string;
  readonly connId?: string;
}

/** `{"op":"login","args":[{apiKey, passphrase, timestamp (unix seconds), sign}]}`. */
export interface OkxLoginRequest {
  readonly op: 'login';
  readonly args: ReadonlyArray<{ readonly apiKey: string; readonly passphrase: string; readonly timestamp: string; readonly sign: string }>;
}
