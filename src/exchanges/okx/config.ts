/**
 * OKX v5 instrument types, base URLs per environment (production, demo) and protocol constants
 * (protocols.md §4.1, §4.3, §4.5). Owns no behaviour: the other files of this folder read these values.
 */

/** The OKX instrument types this folder serves (OPTION and MARGIN are skipped). */
export type OkxInstType = 'SPOT' | 'SWAP' | 'FUTURES';

export const OKX_INST_TYPES: readonly OkxInstType[] = ['SPOT', 'SWAP', 'FUTURES'];

/** True when `value` names an instrument type this folder serves. */
export function isOkxInstType(value: string): value is OkxInstType {
  return value === 'SPOT' || value === 'SWAP' || value === 'FUTURES';
}

/** WebSocket connection groups: public market data, private (login), business (candles, algo). */
export type OkxConnection = 'public' | 'private' | 'business';

/**
 * Where an OKX environment lives: one REST host (every request goes to it, so one rate governor) and the
 * three WebSocket endpoints. Point all of them at a proxy or the simulator.
 */
export interface OkxUrls {
  readonly rest: string;
  readonly public: string;
  readonly private: string;
  readonly business: string;
  /** Demo trading: every REST request carries `x-simulated-trading: 1`. */
  readonly simulatedTrading?: boolean;
}

/** Production. protocols.md §4.1 (`my.okx.com` serves EEA accounts with the same paths). */
export const OKX_PRODUCTION: OkxUrls = {
  rest: 'https://www.okx.com',
  public: 'wss://ws.okx.com:8443/ws/v5/public',
  private: 'wss://ws.okx.com:8443/ws/v5/private',
  business: 'wss://ws.okx.com:8443/ws/v5/business',
};

/** Demo trading: the production REST host plus the `x-simulated-trading: 1` header, and the `wspap` WebSockets. */
export const OKX_DEMO: OkxUrls = {
  rest: 'https://www.okx.com',
  public: 'wss://wspap.okx.com:8443/ws/v5/public',
  private: 'wss://wspap.okx.com:8443/ws/v5/private',
  business: 'wss://wspap.okx.com:8443/ws/v5/business',
  simulatedTrading: true,
};

/** The one REST api name: OKX serves everything from one host, metered per endpoint. */
export const OKX_REST_API = 'rest';

/** Levels per side of the `books` channel (and the most `GET /api/v5/market/books` returns). */
export const BOOKS_DEPTH = 400;

/** Most levels `GET /api/v5/market/books-full` returns. */
export const BOOKS_FULL_DEPTH = 5000;

/** The client sends the text `ping` this often; OKX closes a connection after 30 s without traffic. */
export const PING_INTERVAL_MS = 20_000;

/** Nothing at all (not even a `pong`) for this long means the connection is dead. */
export const STALE_AFTER_MS = 30_000;

/**
 * Topics per subscribe frame. OKX caps the args of one request at 64 KB (an arg is ~50 bytes) and allows
 * 480 subscribe/unsubscribe/login requests per hour per connection, so topics go out in large batches.
 */
export const TOPICS_PER_FRAME = 100;

/** Subscribe, unsubscribe and login requests per connection per hour (protocols.md §4.3). */
export const REQUESTS_PER_HOUR = 480;

/** Topics one connection carries (OKX documents no cap; this keeps one socket's load bounded). */
export const MAX_TOPICS_PER_CONNECTION = 300;

/** Client → venue frames per second per connection (pings and subscribe requests; OKX documents none). */
export const MAX_OUTGOING_PER_SECOND = 4;

/** The venue name used in errors. */
export const VENUE = 'okx';

/**
 * The largest public message accepted (bytes). The biggest legitimate one on the channels used is the 400-level
 * `books` snapshot (the recorded BTC-USDT one is 25 KB; `books-l2-tbt` is 400 levels too). 1 MiB leaves 40×
 * headroom.
 */
export const MAX_PUBLIC_FRAME_BYTES = 1024 * 1024;

/**
 * The largest private message accepted (bytes). The first `positions` and `account` pushes list every position
 * and currency (hundreds at ~1.5 KB), and `orders` pushes batch the orders one action touched (~1 KB each, up
 * to a few hundred). 4 MiB leaves several times that.
 */
export const MAX_PRIVATE_FRAME_BYTES = 4 * 1024 * 1024;

/** The client's REST base URLs for an environment: the one `rest` api. */
export function okxRestUrls(urls: OkxUrls): Readonly<Record<string, string>> {
  return { [OKX_REST_API]: urls.rest };
}
