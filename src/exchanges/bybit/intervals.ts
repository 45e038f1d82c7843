/**
 * Candle intervals: unified (ccxt) names ↔ Bybit's (`1,3,5,15,30,60,120,240,360,720,D,W,M`), and the
 * length of each interval for deciding whether a REST candle has closed.
 */
import { VenueError } from '../../core/errors.js';
import { argumentChecks } from '../../core/validation.js';
import { VENUE } from './config.js';

const UNIFIED_TO_BYBIT: ReadonlyMap<string, string> = new Map([
  ['1m', '1'],
  ['3m', '3'],
  ['5m', '5'],
  ['15m', '15'],
  ['30m', '30'],
  ['1h', '60'],
  ['2h', '120'],
  ['4h', '240'],
  ['6h', '360'],
  ['12h', '720'],
  ['1d', 'D'],
  ['1w', 'W'],
  ['1M', 'M'],
]);

/** Every kline interval Bybit serves, unified. */
export const BYBIT_TIMEFRAMES: readonly string[] = [...UNIFIED_TO_BYBIT.keys()];
const check = argumentChecks({ venue: VENUE });

const BYBIT_TO_UNIFIED: ReadonlyMap<string, string> = new Map([...UNIFIED_TO_BYBIT].map(([u, b]) => [b, u]));

/** The Bybit interval for a unified one; throws `invalid-argument` when Bybit has no such interval. */
export function toBybitInterval(interval: string): string {
  return UNIFIED_TO_BYBIT.get(check.oneOf('timeframe', interval, BYBIT_TIMEFRAMES)) as string;
}

/** The unified interval for a Bybit one; throws `decode` on an interval Bybit does not document. */
export function fromBybitInterval(interval: unknown, field: string): string {
  const u = typeof interval === 'string' ? BYBIT_TO_UNIFIED.get(interval) : undefined;
  if (u === undefined) throw new VenueError('decode', `field ${field}: expected a kline interval, got ${JSON.stringify(interval)}`, { venue: VENUE });
  return u;
}

const MINUTE = 60_000;

/**
 * Open time of the next candle after the one opening at `openTime` (ms, UTC). Months have their own
 * length; Bybit's monthly candles open on the 1st, weekly ones on Monday 00:00 UTC.
 */
export function nextOpenTime(interval: string, openTime: number): number {
  if (interval === '1M') {
    const d = new Date(openTime);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const b = toBybitInterval(interval);
  const minutes = b === 'D' ? 1440 : b === 'W' ? 10_080 : Number(b);
  return openTime + minutes * MINUTE;
}
