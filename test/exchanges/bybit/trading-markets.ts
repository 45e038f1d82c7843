/** Markets for the Bybit trading tests: spot, linear (settled in the quote) and inverse (settled in the base). */
import { Decimal, decimalsOf } from '../../../src/core/decimal.js';
import type { Market } from '../../../src/core/model.js';

/** A Bybit market; `tick` and `step` are the price and quantity filters the test needs. */
export function tradingMarket(id: string, segment: 'spot' | 'linear' | 'inverse', base: string, quote: string, tick = '0.01', step = '0.01'): Market {
  const settle = segment === 'inverse' ? base : quote;
  const m: Market = {
    symbol: segment === 'spot' ? `${base}/${quote}` : `${base}/${quote}:${settle}`,
    id,
    venue: 'bybit',
    type: segment === 'spot' ? 'spot' : 'swap',
    segment,
    base,
    quote,
    status: 'active',
    venueStatus: 'Trading',
    tickSize: Decimal.from(tick),
    stepSize: Decimal.from(step),
    precision: { price: decimalsOf(tick), amount: decimalsOf(step) },
  };
  return segment === 'spot' ? m : { ...m, settle, linear: segment === 'linear', contractSize: Decimal.ONE };
}
