/** `binance(options)`: an `Exchange` for Binance spot + USDⓈ-M on mainnet, testnet, demo or any hosts. */
import { argumentChecks, keysOf } from '../core/validation.js';
import type { ArgumentChecks } from '../core/validation.js';
import { BINANCE_DEMO, BINANCE_MAINNET, BINANCE_SEGMENTS, BINANCE_TESTNET, MAX_RECV_WINDOW_MS } from '../exchanges/binance/config.js';
import type { BinanceSegment, BinanceUrls } from '../exchanges/binance/config.js';
import { createBinanceMarketData } from '../exchanges/binance/market-data.js';
import { createBinanceTrading } from '../exchanges/binance/trading.js';
import { EXCHANGE_OPTION_KEYS } from './arguments.js';
import { Exchange } from './exchange.js';
import type { ExchangeOptions } from './exchange.js';

export type { BinanceUrls, BinanceSegment };

export interface BinanceOptions extends Omit<ExchangeOptions, 'restUrls'> {
  /** A named environment (default `mainnet`), ignored when `urls` is given. */
  readonly env?: 'mainnet' | 'testnet' | 'demo';
  /** Explicit base URLs: a proxy, or the simulator (`venuekit sim` prints them). */
  readonly urls?: BinanceUrls;
  /** Product lines to load markets from (default spot and usdm). */
  readonly segments?: readonly BinanceSegment[];
  /** Signed-request window (default 5000 ms, at most 60000). */
  readonly recvWindowMs?: number;
}

const ENVIRONMENTS = { mainnet: BINANCE_MAINNET, testnet: BINANCE_TESTNET, demo: BINANCE_DEMO } as const;
const OPTION_KEYS = [...EXCHANGE_OPTION_KEYS, ...keysOf<Omit<BinanceOptions, keyof ExchangeOptions>>({ env: true, urls: true, segments: true, recvWindowMs: true })];
const ENV_NAMES = Object.keys(ENVIRONMENTS) as (keyof typeof ENVIRONMENTS)[];

/**
 * A Binance client. Close it with `await using` or `close()`.
 * @throws VenueError `invalid-argument` naming the option, for an unknown option or value (`env: 'prod'`, `urls: {}`).
 */
export function binance(options: BinanceOptions = {}): Exchange {
  const c = argumentChecks({ venue: 'binance' });
  const o = c.options('binance options', options, OPTION_KEYS);
  const env = c.optionalOneOf('env', o['env'], ENV_NAMES);
  const urls = o['urls'] === undefined ? ENVIRONMENTS[env ?? 'mainnet'] : binanceUrls(c, o['urls']);
  const segments = o['segments'] === undefined ? undefined : c.list('segments', o['segments'], (f, v) => c.oneOf(f, v, BINANCE_SEGMENTS), { min: 1, unique: true });
  const recvWindowMs = c.optionalInteger('recvWindowMs', o['recvWindowMs'], { min: 1, max: MAX_RECV_WINDOW_MS });
  const { env: _env, urls: _urls, segments: _segments, recvWindowMs: _recvWindowMs, ...rest } = options;
  const adapter = createBinanceMarketData({
    urls,
    ...(segments === undefined ? {} : { segments }),
    ...(recvWindowMs === undefined ? {} : { recvWindowMs }),
  });
  const trading = createBinanceTrading({ urls, ...(recvWindowMs === undefined ? {} : { recvWindowMs }) });
  return new Exchange(adapter, { ...rest, restUrls: { spot: urls.spot.rest, usdm: urls.usdm.rest } }, trading);
}

/** `{ spot: { rest, ws, wsApi }, usdm: { rest, ws, wsApi } }`, each an http(s) or ws(s) URL. */
function binanceUrls(c: ArgumentChecks, value: unknown): BinanceUrls {
  const urls = c.object('urls', value);
  const segment = (name: BinanceSegment): BinanceUrls[BinanceSegment] => {
    const s = c.object(`urls.${name}`, urls[name]);
    return {
      rest: c.url(`urls.${name}.rest`, s['rest'], ['https', 'http']),
      ws: c.url(`urls.${name}.ws`, s['ws'], ['wss', 'ws']),
      wsApi: c.url(`urls.${name}.wsApi`, s['wsApi'], ['wss', 'ws']),
    };
  };
  return { spot: segment('spot'), usdm: segment('usdm') };
}
