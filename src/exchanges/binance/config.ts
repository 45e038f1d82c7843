/**
 * Binance segments, base URLs per environment (mainnet, testnet, demo) and protocol defaults.
 * Owns no behaviour: other files of this folder read these values.
 */

/** The Binance product lines this folder serves: spot and USDⓈ-M futures. */
export type BinanceSegment = 'spot' | 'usdm';

export const BINANCE_SEGMENTS: readonly BinanceSegment[] = ['spot', 'usdm'];

/** Base URLs of one segment: REST root, market-stream root and WebSocket API endpoint. */
export interface BinanceSegmentUrls {
  readonly rest: string;
  /**
   * Market-stream root without a path. Spot: `/stream` is appended. USD-M (since 2026-04-23):
   * `/public/stream` (depth, bookTicker) or `/market/stream` (everything else) is appended.
   */
  readonly ws: string;
  readonly wsApi: string;
}

export interface BinanceUrls {
  readonly spot: BinanceSegmentUrls;
  readonly usdm: BinanceSegmentUrls;
}

/** Production. protocols.md §1.1 and §2.1 (USD-M "Important WebSocket Change Notice", 2026-03-06). */
export const BINANCE_MAINNET: BinanceUrls = {
  spot: {
    rest: 'https://api.binance.com',
    ws: 'wss://stream.binance.com:9443',
    wsApi: 'wss://ws-api.binance.com:443/ws-api/v3',
  },
  usdm: {
    rest: 'https://fapi.binance.com',
    ws: 'wss://fstream.binance.com',
    wsApi: 'wss://ws-fapi.binance.com/ws-fapi/v1',
  },
};

/** Spot testnet and USD-M futures testnet. */
export const BINANCE_TESTNET: BinanceUrls = {
  spot: {
    rest: 'https://testnet.binance.vision',
    ws: 'wss://stream.testnet.binance.vision',
    wsApi: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
  },
  usdm: {
    rest: 'https://testnet.binancefuture.com',
    ws: 'wss://fstream.binancefuture.com',
    wsApi: 'wss://testnet.binancefuture.com/ws-fapi/v1',
  },
};

/**
 * Demo mode (mock funds against real prices). The USD-M demo WebSocket API URL is not documented;
 * the testnet one is used, which serves the same demo-fapi accounts.
 */
export const BINANCE_DEMO: BinanceUrls = {
  spot: {
    rest: 'https://demo-api.binance.com',
    ws: 'wss://demo-stream.binance.com:9443',
    wsApi: 'wss://demo-ws-api.binance.com/ws-api/v3',
  },
  usdm: {
    rest: 'https://demo-fapi.binance.com',
    ws: 'wss://demo-fstream.binance.com',
    wsApi: 'wss://testnet.binancefuture.com/ws-fapi/v1',
  },
};

/** Default `recvWindow` for signed requests, in ms (Binance's own default). */
export const DEFAULT_RECV_WINDOW_MS = 5000;

/** The largest `recvWindow` Binance accepts, in ms (protocols.md §1.2). */
export const MAX_RECV_WINDOW_MS = 60_000;

/** Largest REST depth snapshot per segment (spot 5000, USD-M 1000), used for book sync. */
export const DEPTH_SNAPSHOT_LIMIT: Readonly<Record<BinanceSegment, number>> = { spot: 5000, usdm: 1000 };

/** Streams one connection may carry. */
export const MAX_STREAMS_PER_CONNECTION = 1024;

/** Client → server messages per second per stream connection (spot 5, USD-M 10). */
export const MAX_OUTGOING_PER_SECOND: Readonly<Record<BinanceSegment, number>> = { spot: 5, usdm: 10 };

/**
 * The largest market-stream message accepted (bytes). The biggest legitimate ones are the all-market arrays
 * (`!ticker@arr`: ~2,000 spot symbols × ~450 B ≈ 1 MB); a busy pair's 1000 ms diff-depth is tens of KB, and
 * the 5,000-level snapshots only come over REST. 4 MiB leaves 4× headroom over the arrays.
 */
export const MAX_STREAM_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * The largest user-data message accepted (bytes). Spot sends one `executionReport` (~600 B) or the changed
 * balances per frame; USD-M's `ACCOUNT_UPDATE` lists the positions a funding or liquidation touched (hundreds
 * at ~200 B ≈ 100 KB at most). 1 MiB leaves 10× headroom.
 */
export const MAX_PRIVATE_FRAME_BYTES = 1024 * 1024;

/** Binance closes every WebSocket connection after 24 h. */
export const MAX_CONNECTION_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * With server pings every 20 s (spot) or 3 min (USD-M, where data also flows), a minute of total
 * silence means the connection is dead.
 */
export const STALE_AFTER_MS = 60_000;

/** The venue name used in errors. */
export const VENUE = 'binance';

/** True when `value` names a Binance segment. */
export function isBinanceSegment(value: string): value is BinanceSegment {
  return value === 'spot' || value === 'usdm';
}

/** USD-M listenKeys lapse after 60 min without a keep-alive; Binance advises a `PUT` about every 30 min. */
export const LISTEN_KEY_KEEPALIVE_MS = 30 * 60 * 1000;

/** Spot `newClientOrderId` and USD-M `newClientOrderId`: 1-36 of `. A-Z : / a-z 0-9 _ -`. */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** Prefix of generated client order ids (Binance reserves `x-` for broker ids). */
export const CLIENT_ORDER_ID_PREFIX = 'vk';
