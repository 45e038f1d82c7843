/**
 * How the Binance front end answers each refusal of the trading engine: the venue's error code, message and HTTP
 * status per segment (spot `-2010` NEW_ORDER_REJECTED family, USD-M `-20xx`/`-4xxx`, both `-2011` for cancels).
 */
import type { SimRejectReason } from '../trading/engine-types.js';
import { BinanceApiError } from './auth-check.js';
import type { BinanceSegment } from './wire-format.js';

/** The venue's error for an engine refusal. */
export function rejectionError(segment: BinanceSegment, reason: SimRejectReason): BinanceApiError {
  const spot = segment === 'spot';
  switch (reason) {
    case 'unknown-symbol':
      return new BinanceApiError(400, -1121, 'Invalid symbol.');
    case 'insufficient-balance':
      return spot ? new BinanceApiError(400, -2010, 'Account has insufficient balance for requested action.') : new BinanceApiError(400, -2019, 'Margin is insufficient.');
    case 'duplicate-client-order-id':
      return spot ? new BinanceApiError(400, -2010, 'Duplicate order sent.') : new BinanceApiError(400, -4116, 'ClientOrderId is duplicated.');
    case 'unknown-order':
    case 'order-closed':
      return new BinanceApiError(400, -2011, 'Unknown order sent.');
    case 'post-only-would-take':
      return new BinanceApiError(400, -2010, 'Order would immediately match and take.');
    case 'invalid-price':
      return spot ? new BinanceApiError(400, -1013, 'Filter failure: PRICE_FILTER') : new BinanceApiError(400, -4014, 'Price not increased by tick size.');
    case 'invalid-quantity':
      return spot ? new BinanceApiError(400, -1013, 'Filter failure: LOT_SIZE') : new BinanceApiError(400, -4023, 'Quantity not increased by step size.');
    case 'fok-unfillable':
      return spot ? new BinanceApiError(400, -2010, 'Order would not be fully filled.') : new BinanceApiError(400, -5021, 'Due to the order could not be filled immediately, the FOK order has been rejected.');
    case 'no-liquidity':
      return spot ? new BinanceApiError(400, -2010, 'Order book liquidity is less than LOT_SIZE filter minimum quantity.') : new BinanceApiError(400, -2020, 'Unable to fill.');
    case 'reduce-only-would-increase':
      return new BinanceApiError(400, -2022, 'ReduceOnly Order is rejected.');
  }
}
