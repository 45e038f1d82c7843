/**
 * Bybit v5 categories, base URLs per environment (mainnet, testnet, demo) and protocol defaults.
 * Owns no behaviour: other files of this folder read these values.
 */

/** The Bybit product lines (v5 `category`) this folder serves. Options are not served. */
export type BybitCategory = 'spot' | 'linear' | 'inverse';

export const BYBIT_CATEGORIES: readonly BybitCategory[] = ['spot', 'linear', 'inverse'];

/** WebSocket connection groups: one public URL per category, plus the private stream. */
export type BybitConnection = BybitCategory | 'private';

export const BYBIT_CONNECTIONS: readonly BybitConnection[] = ['spot', 'linear', 'inverse', 'private'];

/**
 * Where Bybit lives: one REST host for every category, and one full WebSocket URL per connection group, so
 * a client can be pointed anywhere (testnet, a proxy, the simulator).
 */
export interface BybitUrls {
  readonly rest: string;
  readonly ws: Readonly<Record<BybitConnection, string>>;
}

/** URLs from a REST base and a WebSocket root that serves Bybit's own paths (`/v5/public/<category>`, `/v5/private`). */
export function bybitUrlsAt(rest: string, wsRoot: string, privateWsRoot: string = wsRoot): BybitUrls {
  const root = wsRoot.replace(/\/+$/, '');
  return {
    rest: rest.replace(/\/+$/, ''),
    ws: {
      spot: `${root}/v5/public/spot`,
      linear: `${root}/v5/public/linear`,
      inverse: `${root}/v5/public/inverse`,
      private: `${privateWsRoot.replace(/\/+$/, '')}/v5/private`,
    },
  };
}

/** Production (protocols.md §3.1; `api.bytick.com` and regional hosts serve the same API). */
export const BYBIT_MAINNET: BybitUrls = bybitUrlsAt('https://api.bybit.com', 'wss://stream.bybit.com');

/** Testnet. */
export const BYBIT_TESTNET: BybitUrls = bybitUrlsAt('https://api-testnet.bybit.com', 'wss://stream-testnet.bybit.com');

/** Demo trading: its own REST host and private stream; public market data comes from mainnet. */
export const BYBIT_DEMO: BybitUrls = bybitUrlsAt('https://api-demo.bybit.com', 'wss://stream.bybit.com', 'wss://stream-demo.bybit.com');

/** The one REST `api` name: every category is served by the same host, metered as one. */
export const REST_API = 'rest';

/** Default `X-BAPI-RECV-WINDOW` in ms (Bybit's own default). */
export const DEFAULT_RECV_WINDOW_MS = 5000;

/**
 * The IP-wide HTTP limit: 600 requests per 5 s per IP (`rate-limit.mdx`); going over gives HTTP 403
 * "access too frequent" and a ban of at least 10 minutes.
 */
export const IP_LIMIT = { limit: 'ip-requests', scope: 'ip', windowMs: 5000, max: 600 } as const;

/** How long to stay away after an HTTP 403 rate ban (the docs say at least 10 minutes). */
export const IP_BAN_MS = 10 * 60 * 1000;

/** Per-UID endpoint limits are per second; `X-Bapi-Limit` announces the endpoint's limit. */
export const ENDPOINT_WINDOW_MS = 1000;

/** Order-book depths of the public stream per category (`orderbook.{depth}.{symbol}`), smallest first. */
export const BOOK_DEPTHS: readonly number[] = [1, 50, 200, 1000];

/** Deepest REST order book: spot 200, linear/inverse 500 (`market/orderbook.mdx`). */
export const REST_DEPTH_LIMIT: Readonly<Record<BybitCategory, number>> = { spot: 200, linear: 500, inverse: 500 };

/** Recent public trades over REST: spot at most 60, derivatives at most 1000. */
export const RECENT_TRADES_LIMIT: Readonly<Record<BybitCategory, number>> = { spot: 60, linear: 1000, inverse: 1000 };

/** Klines per REST page (1..1000, default 200). */
export const KLINE_LIMIT = 1000;

/** Instruments per `instruments-info` page for linear/inverse (1..1000); spot returns everything at once. */
export const INSTRUMENTS_PAGE_LIMIT = 1000;

/** Spot allows at most 10 args per subscribe request (`wss-authentication.mdx`). */
export const SPOT_TOPICS_PER_FRAME = 10;

/**
 * Linear/inverse have no documented per-request cap; the bound is 21,000 characters of args per connection.
 * 100 topics of at most ~40 characters stays far below it.
 */
export const DERIVATIVES_TOPICS_PER_FRAME = 100;

/** Topics per public connection: 21,000 characters of args / ~40 characters per long topic, with margin. */
export const MAX_TOPICS_PER_CONNECTION = 400;

/** Client → server messages per second per connection. Undocumented for public streams; kept modest. */
export const MAX_OUTGOING_PER_SECOND = 10;

/**
 * The largest public message accepted (bytes). The biggest legitimate one is the `orderbook.1000` snapshot:
 * 2 × 1,000 levels of ~25 B ≈ 50 KB (the recorded 500-level snapshot is 18 KB); trades and tickers are a few
 * KB. 1 MiB leaves 20× headroom.
 */
export const MAX_PUBLIC_FRAME_BYTES = 1024 * 1024;

/**
 * The largest private message accepted (bytes). `order` and `execution` pushes batch every order an action
 * touched: a cancel-all of the 500 open orders a symbol may hold at ~1 KB each ≈ 0.5 MB; `wallet` lists every
 * coin (~50 KB). 4 MiB leaves 8× headroom.
 */
export const MAX_PRIVATE_FRAME_BYTES = 4 * 1024 * 1024;

/** The client sends `{"op":"ping"}` this often (the docs recommend 20 s). */
export const PING_INTERVAL_MS = 20_000;

/** With a ping every 20 s answered at once, 30 s of total silence means the connection is dead. */
export const STALE_AFTER_MS = 30_000;

/** The venue name used in errors. */
export const VENUE = 'bybit';

/** True when `value` names a served Bybit category. */
export function isBybitCategory(value: string): value is BybitCategory {
  return value === 'spot' || value === 'linear' || value === 'inverse';
}

// ---------------------------------------------------------------- trading

/** The one balance account served: the unified trading account (`accountType=UNIFIED`). */
export const UNIFIED_ACCOUNT = 'unified';

/** Segments holding positions. Spot has none. */
export const POSITION_CATEGORIES: readonly BybitCategory[] = ['linear', 'inverse'];

/**
 * `GET /v5/position/list?category=linear` needs a symbol or a `settleCoin`: USDT-settled perpetuals and
 * futures are listed; USDC-settled ones (`BTCPERP`, `BTC-26DEC25`) are not part of this one request.
 */
export const LINEAR_POSITIONS_SETTLE_COIN = 'USDT';

/** `orderLinkId`: at most 36 characters of letters, digits, `-` and `_` (`create-order.mdx`). */
export const ORDER_LINK_ID_MAX_LENGTH = 36;
export const ORDER_LINK_ID_CHARSET = /^[A-Za-z0-9_-]+$/;

/** Rows per page: `GET /v5/order/realtime` 1..50, `GET /v5/execution/list` 1..100, `GET /v5/position/list` 1..200. */
export const OPEN_ORDERS_PAGE_LIMIT = 50;
export const EXECUTION_LIST_LIMIT = 100;
export const POSITION_LIST_LIMIT = 200;

/** The private-stream auth frame's `expires`: this far past the venue time the login frame is built at. */
export const WS_AUTH_VALIDITY_MS = 10_000;

/** The private topics subscribed, all in one frame (all-in-one topics: every category). */
export const PRIVATE_TOPICS: readonly string[] = ['order', 'execution', 'position', 'wallet'];
