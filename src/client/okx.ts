/** `okx(options)`: an `Exchange` for OKX v5 (SPOT, SWAP, FUTURES) in production, demo trading or at any hosts. */
import { argumentChecks, keysOf } from '../core/validation.js';
import type { ArgumentChecks } from '../core/validation.js';
import { OKX_DEMO, OKX_INST_TYPES, OKX_PRODUCTION, okxRestUrls } from '../exchanges/okx/config.js';
import type { OkxInstType, OkxUrls } from '../exchanges/okx/config.js';
import { createOkxMarketData } from '../exchanges/okx/market-data.js';
import { createOkxTrading } from '../exchanges/okx/trading.js';
import { EXCHANGE_OPTION_KEYS } from './arguments.js';
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
const OPTION_KEYS = [...EXCHANGE_OPTION_KEYS, ...keysOf<Omit<OkxOptions, keyof ExchangeOptions>>({ env: true, urls: true, instTypes: true })];
const ENV_NAMES = Object.keys(ENVIRONMENTS) as (keyof typeof ENVIRONMENTS)[];

/**
 * An OKX client. Close it with `await using` or `close()`.
 * @throws VenueError `invalid-argument` naming the option, for an unknown option or value (`env: 'mainnet'`).
 */
export function okx(options: OkxOptions = {}): Exchange {
  const c = argumentChecks({ venue: 'okx' });
  const o = c.options('okx options', options, OPTION_KEYS);
  const env = c.optionalOneOf('env', o['env'], ENV_NAMES);
  const urls = o['urls'] === undefined ? ENVIRONMENTS[env ?? 'production'] : okxUrls(c, o['urls']);
  const instTypes = o['instTypes'] === undefined ? undefined : c.list('instTypes', o['instTypes'], (f, v) => c.oneOf(f, v, OKX_INST_TYPES), { min: 1, unique: true });
  const { env: _env, urls: _urls, instTypes: _instTypes, ...rest } = options;
  const adapter = createOkxMarketData({ urls, ...(instTypes === undefined ? {} : { instTypes }) });
  return new Exchange(adapter, { ...rest, restUrls: okxRestUrls(urls) }, createOkxTrading({ urls }));
}

/** `{ rest, public, private, business, simulatedTrading? }`: an http(s) URL and three ws(s) URLs. */
function okxUrls(c: ArgumentChecks, value: unknown): OkxUrls {
  const urls = c.object('urls', value);
  const simulatedTrading = c.optionalBoolean('urls.simulatedTrading', urls['simulatedTrading']);
  return {
    rest: c.url('urls.rest', urls['rest'], ['https', 'http']),
    public: c.url('urls.public', urls['public'], ['wss', 'ws']),
    private: c.url('urls.private', urls['private'], ['wss', 'ws']),
    business: c.url('urls.business', urls['business'], ['wss', 'ws']),
    ...(simulatedTrading === undefined ? {} : { simulatedTrading }),
  };
}
