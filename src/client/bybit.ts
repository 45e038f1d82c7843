/** `bybit(options)`: an `Exchange` for Bybit v5 (spot, linear, inverse) on mainnet, testnet, demo or any hosts. */
import { BYBIT_DEMO, BYBIT_MAINNET, BYBIT_TESTNET, REST_API } from '../exchanges/bybit/config.js';
import type { BybitCategory, BybitUrls } from '../exchanges/bybit/config.js';
import { createBybitMarketData } from '../exchanges/bybit/market-data.js';
import { createBybitTrading } from '../exchanges/bybit/trading.js';
import { Exchange } from './exchange.js';
import type { ExchangeOptions } from './exchange.js';

export type { BybitCategory, BybitUrls };

export interface BybitOptions extends Omit<ExchangeOptions, 'restUrls'> {
  /** A named environment (default `mainnet`), ignored when `urls` is given. */
  readonly env?: 'mainnet' | 'testnet' | 'demo';
  /** Explicit URLs: a proxy, or the simulator (`venuekit sim` prints them). */
  readonly urls?: BybitUrls;
  /** Categories to load markets from (default spot, linear and inverse). */
  readonly categories?: readonly BybitCategory[];
  /** Signed-request window (default 5000 ms). */
  readonly recvWindowMs?: number;
}

const ENVIRONMENTS = { mainnet: BYBIT_MAINNET, testnet: BYBIT_TESTNET, demo: BYBIT_DEMO } as const;

/** A Bybit client. Close it with `await using` or `close()`. */
export function bybit(options: BybitOptions = {}): Exchange {
  const urls = options.urls ?? ENVIRONMENTS[options.env ?? 'mainnet'];
  const { env: _env, urls: _urls, categories, recvWindowMs, ...rest } = options;
  const adapter = createBybitMarketData({
    urls,
    ...(categories === undefined ? {} : { categories }),
    ...(recvWindowMs === undefined ? {} : { recvWindowMs }),
  });
  const trading = createBybitTrading({ urls, ...(recvWindowMs === undefined ? {} : { recvWindowMs }) });
  return new Exchange(adapter, { ...rest, restUrls: { [REST_API]: urls.rest } }, trading);
}
