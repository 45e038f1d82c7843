/**
 * Candle intervals: the unified (ccxt) names and the Binance names, which coincide for every interval
 * Binance offers. Requests validate with `toBinanceInterval`; parsers normalize with `fromBinanceInterval`.
 */
import { VenueError } from '../../core/errors.js';
import { argumentChecks } from '../../core/validation.js';
import { VENUE, type BinanceSegment } from './config.js';

/** Every kline interval Binance serves (`1s` on spot only). */
export const BINANCE_TIMEFRAMES: readonly string[] = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'];
const USDM_TIMEFRAMES = BINANCE_TIMEFRAMES.filter((t) => t !== '1s');
const INTERVALS: ReadonlySet<string> = new Set(BINANCE_TIMEFRAMES);
const check = argumentChecks({ venue: VENUE });

/** The Binance interval for a unified one; throws `invalid-argument` listing the segment's intervals when Binance has no such one. */
export function toBinanceInterval(interval: string, segment: BinanceSegment): string {
  return check.oneOf('timeframe', interval, segment === 'spot' ? BINANCE_TIMEFRAMES : USDM_TIMEFRAMES);
}

/** The unified interval for a Binance one; throws `decode` on an interval Binance does not document. */
export function fromBinanceInterval(interval: unknown, field: string): string {
  if (typeof interval !== 'string' || !INTERVALS.has(interval)) {
    throw new VenueError('decode', `field ${field}: expected a kline interval, got ${JSON.stringify(interval)}`, { venue: VENUE });
  }
  return interval;
}
