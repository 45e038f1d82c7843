/**
 * The normalized domain types every venue produces: Market, Ticker, Trade, Candle and book updates.
 * Money is always `Decimal`; every record carries `exchangeTime` and `receivedAt` (epoch ms).
 */
import type { Decimal } from './decimal.js';
import type { UpdateId } from './json.js';

export type VenueId = 'binance' | 'bybit' | 'okx';
export type MarketType = 'spot' | 'swap' | 'future';
export type Side = 'buy' | 'sell';

/** Symbol info, parsed from the venue's instrument endpoint. */
export interface Market {
  /** Unified symbol, e.g. `BTC/USDT:USDT`. */
  readonly symbol: string;
  /** The venue's own id, e.g. `BTCUSDT`, `BTC-USDT-SWAP`. */
  readonly id: string;
  readonly venue: VenueId;
  readonly type: MarketType;
  /** Which venue product line serves it (Binance `spot`/`usdm`, Bybit `spot`/`linear`/`inverse`, OKX `SPOT`/`SWAP`/`FUTURES`). */
  readonly segment: string;
  readonly base: string;
  readonly quote: string;
  /** Settlement currency; undefined for spot. */
  readonly settle?: string;
  /** Linear (settled in quote) or inverse (settled in base); undefined for spot. */
  readonly linear?: boolean;
  /** Contract size for derivatives (1 for linear USDT perpetuals on Binance). */
  readonly contractSize?: Decimal;
  /** Expiry in ms for dated futures. */
  readonly expiry?: number;
  /** `active` when tradable now; `inactive` covers halted, break, delivering, pre-listing, settled. */
  readonly status: 'active' | 'inactive';
  /** The venue's own status string, untouched. */
  readonly venueStatus: string;
  readonly tickSize: Decimal;
  readonly stepSize: Decimal;
  readonly minQty?: Decimal;
  readonly maxQty?: Decimal;
  /** Market-order quantity limits when the venue has separate ones. */
  readonly marketMinQty?: Decimal;
  readonly marketMaxQty?: Decimal;
  readonly minNotional?: Decimal;
  readonly maxNotional?: Decimal;
  readonly minPrice?: Decimal;
  readonly maxPrice?: Decimal;
  /** Decimals implied by tick and step size. */
  readonly precision: { readonly price: number; readonly amount: number };
}

export interface Ticker {
  readonly symbol: string;
  readonly last?: Decimal;
  readonly bid?: Decimal;
  readonly bidSize?: Decimal;
  readonly ask?: Decimal;
  readonly askSize?: Decimal;
  readonly open?: Decimal;
  readonly high?: Decimal;
  readonly low?: Decimal;
  /** 24 h volume in base units. */
  readonly baseVolume?: Decimal;
  /** 24 h volume in quote units. */
  readonly quoteVolume?: Decimal;
  readonly change?: Decimal;
  readonly percentage?: Decimal;
  readonly vwap?: Decimal;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

/** A best bid/offer update (Binance bookTicker, OKX bbo-tbt, Bybit orderbook.1). */
export interface BookTicker {
  readonly symbol: string;
  readonly bid: Decimal;
  readonly bidSize: Decimal;
  readonly ask: Decimal;
  readonly askSize: Decimal;
  readonly updateId?: UpdateId;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

export interface Trade {
  readonly symbol: string;
  /** Venue trade id, as a string (never loses digits). */
  readonly id: string;
  readonly price: Decimal;
  readonly amount: Decimal;
  /** Taker (aggressor) side: `buy` means the taker bought, lifting the ask. */
  readonly side: Side;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

export interface Candle {
  readonly symbol: string;
  /** Venue interval string normalized to ccxt's (`1m`, `1h`, `1d`...). */
  readonly interval: string;
  /** Open time in ms. */
  readonly openTime: number;
  readonly open: Decimal;
  readonly high: Decimal;
  readonly low: Decimal;
  readonly close: Decimal;
  /** Volume in base units. */
  readonly volume: Decimal;
  readonly quoteVolume?: Decimal;
  /** False while the candle is still forming. */
  readonly closed: boolean;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

/** One price level: price and quantity, exact. */
export interface Level {
  readonly price: Decimal;
  readonly amount: Decimal;
}

/**
 * A normalized order-book message as the venue sent it, before it reaches the book. `bids`/`asks` are
 * the venue's own `[price, size, ...]` string tuples (zero-copy from JSON); size `"0"` deletes a level.
 */
export interface DepthMessage {
  readonly kind: 'snapshot' | 'delta';
  readonly symbol: string;
  /** The id this message brings the book to (Binance `u`/`lastUpdateId`, Bybit `u`, OKX `seqId`). */
  readonly seq: UpdateId;
  /** First id covered (Binance `U`); absent where the venue has none. */
  readonly firstSeq?: UpdateId;
  /** The id of the message before this one (Binance USD-M `pu`, OKX `prevSeqId`). */
  readonly prevSeq?: UpdateId;
  /** A venue-wide sequence comparable across depths and channels (Bybit `seq`); kept, not checked. */
  readonly crossSeq?: UpdateId;
  readonly bids: ReadonlyArray<ReadonlyArray<string>>;
  readonly asks: ReadonlyArray<ReadonlyArray<string>>;
  /** Venue checksum (OKX CRC32, signed); 0 or absent when not sent. */
  readonly checksum?: number;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

/** A copy of the top of a book with exact values, detached from the live book. */
export interface OrderBookSnapshot {
  readonly symbol: string;
  readonly bids: Level[];
  readonly asks: Level[];
  readonly seq: UpdateId;
  readonly exchangeTime: number;
  readonly receivedAt: number;
}

/** One normalized event, as `venuekit normalize` writes it and recordings will store it. */
export type NormalizedEvent =
  | ({ readonly type: 'trade'; readonly venue: VenueId } & Trade)
  | ({ readonly type: 'ticker'; readonly venue: VenueId } & Ticker)
  | ({ readonly type: 'book-ticker'; readonly venue: VenueId } & BookTicker)
  | ({ readonly type: 'candle'; readonly venue: VenueId } & Candle)
  | ({ readonly type: 'book'; readonly venue: VenueId } & DepthMessage);
