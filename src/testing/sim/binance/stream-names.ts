/**
 * Binance market-stream names the simulator serves (`btcusdt@depth@100ms`, `@trade`, `@kline_1m`...), their
 * update speeds per segment, and which USD-M URL root (`/public`, `/market`) serves which stream.
 */
import { INTERVAL_MS } from '../trade-tape.js';
import type { BinanceSegment } from './wire-format.js';

export type StreamKind = 'depth' | 'partial' | 'trade' | 'aggTrade' | 'kline' | 'ticker' | 'miniTicker' | 'bookTicker';

/** A parsed stream name. `symbol` is the lowercase id as written (it may name no known symbol). */
export interface StreamSpec {
  readonly name: string;
  readonly symbol: string;
  readonly kind: StreamKind;
  /** Push period for depth, partial depth, kline and ticker streams; 0 for real-time ones. */
  readonly intervalMs: number;
  /** Levels of a partial-depth stream (5, 10, 20). */
  readonly levels?: number;
  /** Kline interval (`1m`...). */
  readonly klineInterval?: string;
}

/**
 * Which URL root a connection came in on. `spot`: any spot path. USD-M (2026 split): `public` serves the
 * high-frequency tier (diff and partial depth, bookTicker, trade), `market` everything else (aggTrade,
 * kline, ticker...). That tier map follows ccxt 4.5.84 (`getFutureWsCategory`) and rustrade-data's notes;
 * Binance's notice as quoted in research lists only depth and bookTicker for `/public`. `legacy` is a path
 * with neither segment (pre-2026 `/ws`): it keeps serving the public tier and refuses the market tier
 * (reported as stopped on 2026-04-23) unless the simulator is told to serve everything there.
 * `private` is the user-data root (no market streams). Refusals are assumptions: the venue's exact answer
 * on a wrong root is not documented.
 */
export type StreamRoot = 'spot' | 'public' | 'market' | 'legacy' | 'private';

const STREAM_RE = /^([A-Za-z0-9]+)@(trade|aggTrade|bookTicker|ticker|miniTicker|kline_([0-9]+[mhd])|depth(5|10|20)?(?:@(100|250|500|1000)ms)?)$/;

const DEPTH_SPEEDS: Record<BinanceSegment, { default: number; allowed: readonly number[] }> = {
  spot: { default: 1000, allowed: [100, 1000] },
  usdm: { default: 250, allowed: [100, 250, 500] },
};

/** Parses a stream name for a segment; undefined when the name is not one the venue serves. */
export function parseStreamName(name: string, segment: BinanceSegment): StreamSpec | undefined {
  const m = STREAM_RE.exec(name);
  if (m === null) return undefined;
  const [, symbolPart = '', kindPart = '', klineInterval, levels, speed] = m;
  const symbol = symbolPart.toLowerCase() === symbolPart ? symbolPart : `!${symbolPart}`;
  if (kindPart.startsWith('kline_')) {
    if (klineInterval === undefined || INTERVAL_MS[klineInterval] === undefined) return undefined;
    return { name, symbol, kind: 'kline', intervalMs: 1000, klineInterval };
  }
  if (kindPart.startsWith('depth')) {
    const speeds = DEPTH_SPEEDS[segment];
    const intervalMs = speed === undefined ? speeds.default : Number(speed);
    if (!speeds.allowed.includes(intervalMs)) return undefined;
    if (levels !== undefined) return { name, symbol, kind: 'partial', intervalMs, levels: Number(levels) };
    return { name, symbol, kind: 'depth', intervalMs };
  }
  const kind = kindPart as StreamKind;
  return { name, symbol, kind, intervalMs: kind === 'ticker' || kind === 'miniTicker' ? 1000 : 0 };
}

const PUBLIC_TIER: ReadonlySet<StreamKind> = new Set(['depth', 'partial', 'bookTicker', 'trade']);

/** True when `root` serves `kind`. USD-M `legacy` serves everything only when the simulator allows it. */
export function rootServes(root: StreamRoot, kind: StreamKind, legacyServesAll: boolean): boolean {
  switch (root) {
    case 'spot':
      return true;
    case 'public':
      return PUBLIC_TIER.has(kind);
    case 'market':
      return !PUBLIC_TIER.has(kind);
    case 'legacy':
      return legacyServesAll || PUBLIC_TIER.has(kind);
    case 'private':
      return false;
  }
}

/** The root of a WebSocket path: spot has one; USD-M looks for a `public`/`market`/`private` segment anywhere. */
export function streamRoot(segment: BinanceSegment, segments: readonly string[]): StreamRoot {
  if (segment === 'spot') return 'spot';
  if (segments.includes('public')) return 'public';
  if (segments.includes('market')) return 'market';
  if (segments.includes('private')) return 'private';
  return 'legacy';
}

/**
 * Splits a stream URL into its mode and initial streams: `.../stream?streams=a/b` is combined, `.../ws/a/b`
 * raw (path segments without `@`, like ccxt's `/ws/0`, are ignored). Any prefix before them is allowed.
 */
export function parseStreamPath(url: URL): { combined: boolean; streams: string[]; segments: string[] } {
  const segments = url.pathname.split('/').filter((s) => s !== '');
  let mode: 'ws' | 'stream' | undefined;
  let at = -1;
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i] === 'ws' || segments[i] === 'stream') {
      mode = segments[i] as 'ws' | 'stream';
      at = i;
      break;
    }
  }
  const fromQuery = (url.searchParams.get('streams') ?? '').split('/').filter((s) => s !== '');
  if (mode === 'stream') return { combined: true, streams: fromQuery, segments };
  const fromPath = at >= 0 ? segments.slice(at + 1).map(decodeURIComponent).filter((s) => s.includes('@')) : [];
  return { combined: false, streams: [...fromPath, ...fromQuery], segments };
}
