/** Markets for the OKX trading tests: the unified symbol, the instrument id and its instType; extras override. */
import { Decimal } from '../../../src/core/decimal.js';
import type { Market } from '../../../src/core/model.js';

export function tradingMarket(symbol: string, id: string, segment: string, extra: Partial<Market> = {}): Market {
  const [base = '', rest = ''] = symbol.split('/');
  const quote = rest.split(':')[0] ?? '';
  return {
    symbol,
    id,
    venue: 'okx',
    type: segment === 'SPOT' ? 'spot' : segment === 'SWAP' ? 'swap' : 'future',
    segment,
    base,
    quote,
    status: 'active',
    venueStatus: 'live',
    tickSize: Decimal.from('0.1'),
    stepSize: Decimal.from('0.00000001'),
    precision: { price: 1, amount: 8 },
    ...extra,
  };
}
