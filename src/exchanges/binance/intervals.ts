/**
 * Candle intervals: the unified (ccxt) names and the Binance names, which coincide for every interval
 * Binance offers. Requests validate with `toBinanceInterval`; parsers normalize with `fromBinanceInterval`.
 */
import { VenueError } from '../../core/errors.js';
import { VENUE, type BinanceSegment } from './config.js';

/** Every kline interval Binance serves, in both segments (`1s` is spot only). */
const INTERVALS: ReadonlySet<string> = new Set(['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M']);

/** The Binance interval for a unified one; throws `invalid-argument` when Binance has no such interval. */
export function toBinanceInterval(interval: string, segment: BinanceSegment): string {
  if (!INTERVALS.has(interval) || (interval === '1s' && segment !== 'spot')) {
    throw new VenueError('invalid-argument', `binance ${segment} has no ${JSON.stringify(interval)} candles`, { venue: VENUE });
  }
  return interval;
}

/** The unified interval for a Binance one; throws `decode` on an interval Binance does not document. */
export function fromBinanceInterval(interval: unknown, field: string): string {
  if (typeof interval !== 'string' || !INTERVALS.has(interval)) {
    throw new VenueError('decode', `field ${field}: expected a kline interval, got ${JSON.stringify(interval)}`, { venue: VENUE });
  }
  return interval;
}
