/** `bybit(options)`: an `Exchange` for Bybit v5 (spot, linear, inverse) on mainnet, testnet, demo or any hosts. */
import { argumentChecks, keysOf, MAX_TIMER_MS } from '../core/validation.js';
import type { ArgumentChecks } from '../core/validation.js';
import { BYBIT_CATEGORIES, BYBIT_CONNECTIONS, BYBIT_DEMO, BYBIT_MAINNET, BYBIT_TESTNET, REST_API } from '../exchanges/bybit/config.js';
import type { BybitCategory, BybitConnection, BybitUrls } from '../exchanges/bybit/config.js';
import { createBybitMarketData } from '../exchanges/bybit/market-data.js';
import { createBybitTrading } from '../exchanges/bybit/trading.js';
import { EXCHANGE_OPTION_KEYS } from './arguments.js';
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
const OPTION_KEYS = [...EXCHANGE_OPTION_KEYS, ...keysOf<Omit<BybitOptions, keyof ExchangeOptions>>({ env: true, urls: true, categories: true, recvWindowMs: true })];
const ENV_NAMES = Object.keys(ENVIRONMENTS) as (keyof typeof ENVIRONMENTS)[];

/**
 * A Bybit client. Close it with `await using` or `close()`.
 * @throws VenueError `invalid-argument` naming the option, for an unknown option or value.
 */
export function bybit(options: BybitOptions = {}): Exchange {
  const c = argumentChecks({ venue: 'bybit' });
  const o = c.options('bybit options', options, OPTION_KEYS);
  const env = c.optionalOneOf('env', o['env'], ENV_NAMES);
  const urls = o['urls'] === undefined ? ENVIRONMENTS[env ?? 'mainnet'] : bybitUrls(c, o['urls']);
  const categories = o['categories'] === undefined ? undefined : c.list('categories', o['categories'], (f, v) => c.oneOf(f, v, BYBIT_CATEGORIES), { min: 1, unique: true });
  const recvWindowMs = c.optionalInteger('recvWindowMs', o['recvWindowMs'], { min: 1, max: MAX_TIMER_MS });
  const { env: _env, urls: _urls, categories: _categories, recvWindowMs: _recvWindowMs, ...rest } = options;
  const adapter = createBybitMarketData({
    urls,
    ...(categories === undefined ? {} : { categories }),
    ...(recvWindowMs === undefined ? {} : { recvWindowMs }),
  });
  const trading = createBybitTrading({ urls, ...(recvWindowMs === undefined ? {} : { recvWindowMs }) });
  return new Exchange(adapter, { ...rest, restUrls: { [REST_API]: urls.rest } }, trading);
}

/** `{ rest, ws: { spot, linear, inverse, private } }`: an http(s) URL and one ws(s) URL per connection. */
function bybitUrls(c: ArgumentChecks, value: unknown): BybitUrls {
  const urls = c.object('urls', value);
  const ws = c.object('urls.ws', urls['ws']);
  const wsUrls = Object.fromEntries(BYBIT_CONNECTIONS.map((k) => [k, c.url(`urls.ws.${k}`, ws[k], ['wss', 'ws'])])) as Record<BybitConnection, string>;
  return { rest: c.url('urls.rest', urls['rest'], ['https', 'http']), ws: wsUrls };
}
