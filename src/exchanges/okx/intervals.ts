/**
 * Candle bars: unified (ccxt) intervals ↔ OKX `bar` names (`1m`...`30m`, `1H`...`12H`, `1D`, `1W`, `1M`,
 * `3M`, and the UTC-aligned `6Hutc`...`3Mutc`). Requests use the standard bar, as ccxt does; parsers map
 * both the standard and the `utc` variants back to the unified name.
 */
import { argumentChecks } from '../../core/validation.js';
import { VENUE } from './config.js';

/** Unified interval → OKX bar. */
const TO_OKX: ReadonlyMap<string, string> = new Map([
  ['1m', '1m'],
  ['3m', '3m'],
  ['5m', '5m'],
  ['15m', '15m'],
  ['30m', '30m'],
  ['1h', '1H'],
  ['2h', '2H'],
  ['4h', '4H'],
  ['6h', '6H'],
  ['12h', '12H'],
  ['1d', '1D'],
  ['2d', '2D'],
  ['3d', '3D'],
  ['1w', '1W'],
  ['1M', '1M'],
  ['3M', '3M'],
]);

/** Every candle interval OKX serves, unified. */
export const OKX_TIMEFRAMES: readonly string[] = [...TO_OKX.keys()];
const check = argumentChecks({ venue: VENUE });

/** OKX bar (standard or `utc`) → unified interval. */
const FROM_OKX: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [unified, bar] of TO_OKX) {
    m.set(bar, unified);
    // UTC-aligned variants exist from 6H up (the shorter bars are the same in every time zone).
    if (!/^\d+m$/.test(bar) && !['1H', '2H', '4H'].includes(bar)) m.set(`${bar}utc`, unified);
  }
  return m;
})();

/** The OKX bar for a unified interval; throws `invalid-argument` when OKX has no such bar. */
export function toOkxBar(interval: string): string {
  return TO_OKX.get(check.oneOf('timeframe', interval, OKX_TIMEFRAMES)) as string;
}

/** The unified interval for an OKX bar (`1H`, `1Dutc`...), or undefined when it is not one. */
export function fromOkxBar(bar: string): string | undefined {
  return FROM_OKX.get(bar);
}

/** The bar named by a candle channel (`candle1D` → `1D`), or undefined when the channel is not a candle one. */
export function barOfChannel(channel: string): string | undefined {
  if (!channel.startsWith('candle')) return undefined;
  const bar = channel.slice('candle'.length);
  return FROM_OKX.has(bar) ? bar : undefined;
}
