/** `binance(options)`: an `Exchange` for Binance spot + USDⓈ-M on mainnet, testnet, demo or any hosts. */
import { BINANCE_DEMO, BINANCE_MAINNET, BINANCE_TESTNET } from '../exchanges/binance/config.js';
import type { BinanceSegment, BinanceUrls } from '../exchanges/binance/config.js';
import { createBinanceMarketData } from '../exchanges/binance/market-data.js';
import { createBinanceTrading } from '../exchanges/binance/trading.js';
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
  /** Signed-request window (default 5000 ms). */
  readonly recvWindowMs?: number;
}

const ENVIRONMENTS = { mainnet: BINANCE_MAINNET, testnet: BINANCE_TESTNET, demo: BINANCE_DEMO } as const;

/** A Binance client. Close it with `await using` or `close()`. */
export function binance(options: BinanceOptions = {}): Exchange {
  const urls = options.urls ?? ENVIRONMENTS[options.env ?? 'mainnet'];
  const { env: _env, urls: _urls, segments, recvWindowMs, ...rest } = options;
  const adapter = createBinanceMarketData({
    urls,
    ...(segments === undefined ? {} : { segments }),
    ...(recvWindowMs === undefined ? {} : { recvWindowMs }),
  });
  const trading = createBinanceTrading({ urls, ...(recvWindowMs === undefined ? {} : { recvWindowMs }) });
  return new Exchange(adapter, { ...rest, restUrls: { spot: urls.spot.rest, usdm: urls.usdm.rest } }, trading);
}
