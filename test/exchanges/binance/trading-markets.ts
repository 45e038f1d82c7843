/** Markets for the Binance trading tests: spot or USD-M linear perpetual, tick 0.01, step `step`. */
import { Decimal } from '../../../src/core/decimal.js';
import type { Market } from '../../../src/core/model.js';

export function tradingMarket(segment: 'spot' | 'usdm', id: string, base: string, quote: string, step = '0.001'): Market {
  const d = Decimal.from;
  const amountDecimals = step.split('.')[1]?.length ?? 0;
  return {
    symbol: segment === 'spot' ? `${base}/${quote}` : `${base}/${quote}:${quote}`,
    id,
    venue: 'binance',
    type: segment === 'spot' ? 'spot' : 'swap',
    segment,
    base,
    quote,
    ...(segment === 'usdm' ? { settle: quote, linear: true, contractSize: d('1') } : {}),
    status: 'active',
    venueStatus: 'TRADING',
    tickSize: d('0.01'),
    stepSize: d(step),
    precision: { price: 2, amount: amountDecimals },
  };
}
