/**
 * The venues the CLI knows, as one table: per venue its client factories (a named environment or an entry of
 * the simulator's endpoints), its `--market` values and the `Market.segment` each names, and its offline
 * normalizer with the id → symbol guess. Commands look a venue up here; they never branch on its name.
 */
import { binance } from '../client/binance.js';
import { bybit } from '../client/bybit.js';
import type { Exchange } from '../client/exchange.js';
import { okx } from '../client/okx.js';
import type { MarketDataAdapter } from '../core/adapter.js';
import type { VenueId } from '../core/model.js';
import type { RecordedFrameReader } from '../core/recording.js';
import type { Credentials } from '../core/venue.js';
import { createBinanceMarketData, guessBinanceSymbol } from '../exchanges/binance/market-data.js';
import { isBinanceSegment, type BinanceUrls } from '../exchanges/binance/config.js';
import { readBinanceRecordedFrame } from '../exchanges/binance/recording.js';
import { createBybitMarketData, guessBybitSymbol } from '../exchanges/bybit/market-data.js';
import { isBybitCategory, type BybitUrls } from '../exchanges/bybit/config.js';
import { readBybitRecordedFrame } from '../exchanges/bybit/recording.js';
import { createOkxMarketData, guessOkxSymbol } from '../exchanges/okx/market-data.js';
import type { OkxUrls } from '../exchanges/okx/config.js';
import { readOkxRecordedFrame } from '../exchanges/okx/recording.js';
import { UsageError } from './args.js';

export interface CliVenue {
  readonly name: VenueId;
  /** The venue's name for people (`Binance`, `OKX`). */
  readonly title: string;
  /** `--market` value → the `Market.segment` it names (Binance `usdm`, Bybit `linear`, OKX `SWAP`, ...). */
  readonly markets: Readonly<Record<string, string>>;
  /** The `--market` assumed for a bare venue id when none is given. */
  readonly defaultMarket: string;
  /** `--env` names besides `sim`. */
  readonly envs: readonly string[];
  /** A client for a named environment (one of `envs`). */
  atEnv(env: string): Exchange;
  /** A client at this venue's entry of the simulator's endpoints (`venuekit sim`'s JSON line), and its REST base. */
  atEndpoints(entry: unknown, credentials?: Credentials): { readonly exchange: Exchange; readonly rest: string };
  /** A fresh market-data adapter for offline work: `parseMarkets` of the instruments response, `normalizeFrame`. */
  marketData(): MarketDataAdapter;
  /** The unified symbol of a venue id without the instrument list, or undefined when it cannot tell. */
  guessSymbol(id: string, segment: string): string | undefined;
  /**
   * True when every frame's instrument id names its market (OKX): `normalize` then needs no `--market`.
   * False when ids repeat across markets (Binance, Bybit `BTCUSDT`): the market is given or read from frames.
   */
  readonly idsNameMarket: boolean;
  /** What a recorded frame is (kind, the segment its shape proves), or undefined when it is not this venue's wire. */
  readonly readRecordedFrame: RecordedFrameReader;
}

function invalid(message: string): UsageError {
  return new UsageError(undefined, message);
}

/** Checks that `entry` has a string at every dotted path and returns it typed; `what` names it in errors. */
function urlsOf<T>(entry: unknown, what: string, paths: readonly string[]): T {
  for (const path of paths) {
    let v: unknown = entry;
    for (const key of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof v !== 'string' || v === '') throw invalid(`--endpoints: the "${what}" entry needs a URL at ${path}`);
  }
  return entry as T;
}

const BINANCE: CliVenue = {
  name: 'binance',
  title: 'Binance',
  markets: { spot: 'spot', usdm: 'usdm' },
  defaultMarket: 'spot',
  envs: ['mainnet', 'testnet', 'demo'],
  atEnv: (env) => binance({ env: env as 'mainnet' | 'testnet' | 'demo' }),
  atEndpoints: (entry, credentials) => {
    const urls = urlsOf<BinanceUrls>(entry, 'binance', ['spot.rest', 'spot.ws', 'usdm.rest', 'usdm.ws']);
    return { exchange: binance({ urls, ...(credentials === undefined ? {} : { credentials }) }), rest: urls.spot.rest };
  },
  marketData: () => createBinanceMarketData(),
  guessSymbol: (id, segment) => (isBinanceSegment(segment) ? guessBinanceSymbol(id, segment) : undefined),
  idsNameMarket: false,
  readRecordedFrame: readBinanceRecordedFrame,
};

const BYBIT: CliVenue = {
  name: 'bybit',
  title: 'Bybit',
  markets: { spot: 'spot', linear: 'linear', inverse: 'inverse' },
  defaultMarket: 'spot',
  envs: ['mainnet', 'testnet', 'demo'],
  atEnv: (env) => bybit({ env: env as 'mainnet' | 'testnet' | 'demo' }),
  atEndpoints: (entry, credentials) => {
    const urls = urlsOf<BybitUrls>(entry, 'bybit', ['rest', 'ws.spot', 'ws.linear', 'ws.inverse']);
    return { exchange: bybit({ urls, ...(credentials === undefined ? {} : { credentials }) }), rest: urls.rest };
  },
  marketData: () => createBybitMarketData(),
  guessSymbol: (id, segment) => (isBybitCategory(segment) ? guessBybitSymbol(id, segment) : undefined),
  idsNameMarket: false,
  readRecordedFrame: readBybitRecordedFrame,
};

const OKX: CliVenue = {
  name: 'okx',
  title: 'OKX',
  markets: { spot: 'SPOT', swap: 'SWAP', futures: 'FUTURES' },
  defaultMarket: 'spot',
  envs: ['production', 'demo'],
  atEnv: (env) => okx({ env: env as 'production' | 'demo' }),
  atEndpoints: (entry, credentials) => {
    const urls = urlsOf<OkxUrls>(entry, 'okx', ['rest', 'public', 'business']);
    return { exchange: okx({ urls, ...(credentials === undefined ? {} : { credentials }) }), rest: urls.rest };
  },
  marketData: () => createOkxMarketData(),
  // An OKX id names its instrument type (`BTC-USDT`, `BTC-USDT-SWAP`, `BTC-USD-261225`).
  guessSymbol: (id) => guessOkxSymbol(id),
  idsNameMarket: true,
  readRecordedFrame: readOkxRecordedFrame,
};

/** Every venue the CLI serves, in the order help texts list them. */
export const CLI_VENUES: readonly CliVenue[] = [BINANCE, BYBIT, OKX];

/** The venue named by `--exchange` (default binance); a clear `UsageError` for anything else. */
export function venueNamed(name: string | undefined): CliVenue {
  const wanted = (name ?? 'binance').toLowerCase();
  const venue = CLI_VENUES.find((v) => v.name === wanted);
  if (venue === undefined) throw invalid(`--exchange ${name}: use ${CLI_VENUES.map((v) => v.name).join(', ')}`);
  return venue;
}

/** The `--market` value that names `segment` on `venue` (`usdm`, `linear`, `swap`). */
export function marketNamed(venue: CliVenue, segment: string): string {
  return Object.keys(venue.markets).find((k) => venue.markets[k] === segment) ?? segment;
}

/** The `Market.segment` a `--market` value names on `venue`; a clear `UsageError` listing the valid ones. */
export function segmentOf(venue: CliVenue, market: string): string {
  const segment = venue.markets[market.toLowerCase()];
  if (segment === undefined) throw invalid(`--market ${market}: ${venue.name} markets are ${Object.keys(venue.markets).join(', ')}`);
  return segment;
}

/** `--env` check: one of the venue's named environments. */
export function checkEnv(venue: CliVenue, env: string): string {
  if (!venue.envs.includes(env)) throw invalid(`--env ${env}: ${venue.name} environments are sim, ${venue.envs.join(', ')}`);
  return env;
}
