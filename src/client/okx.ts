/** `okx(options)`: an `Exchange` for OKX v5 (SPOT, SWAP, FUTURES) in production, demo trading or at any hosts. */
import { OKX_DEMO, OKX_PRODUCTION, okxRestUrls } from '../exchanges/okx/config.js';
import type { OkxInstType, OkxUrls } from '../exchanges/okx/config.js';
import { createOkxMarketData } from '../exchanges/okx/market-data.js';
import { createOkxTrading } from '../exchanges/okx/trading.js';
import { Exchange } from './exchange.js';
import type { ExchangeOptions } from './exchange.js';

export type { OkxInstType, OkxUrls };

export interface OkxOptions extends Omit<ExchangeOptions, 'restUrls'> {
  /** A named environment (default `production`), ignored when `urls` is given. */
  readonly env?: 'production' | 'demo';
  /** Explicit URLs: a proxy, or the simulator (`venuekit sim` prints them). */
  readonly urls?: OkxUrls;
  /** Instrument types to load markets from (default SPOT, SWAP and FUTURES). */
  readonly instTypes?: readonly OkxInstType[];
}

const ENVIRONMENTS = { production: OKX_PRODUCTION, demo: OKX_DEMO } as const;

/** An OKX client. Close it with `await using` or `close()`. */
export function okx(options: OkxOptions = {}): Exchange {
  const urls = options.urls ?? ENVIRONMENTS[options.env ?? 'production'];
  const { env: _env, urls: _urls, instTypes, ...rest } = options;
  const adapter = createOkxMarketData({ urls, ...(instTypes === undefined ? {} : { instTypes }) });
  return new Exchange(adapter, { ...rest, restUrls: okxRestUrls(urls) }, createOkxTrading({ urls }));
}
