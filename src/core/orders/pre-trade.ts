/**
 * Checks run before an order is sent (RISK-01): the venue's own filters from `Market` (tick, step, min/max
 * quantity, min/max notional, price bounds) and user risk checks (built-ins: max quantity, max notional,
 * price band around the last price). A failure is a local `invalid-argument` (filters) or `rejected`
 * (risk) error naming the rule; nothing is sent. Pure: callers supply the last price.
 */
import type { Decimal } from '../decimal.js';
import { VenueError } from '../errors.js';
import type { Market } from '../model.js';
import { check } from '../validation.js';
import type { OrderRequest } from './order-model.js';

/** What a risk check sees: the order, its market, and the last traded price when known. */
export interface RiskContext {
  readonly order: OrderRequest;
  readonly market: Market;
  readonly lastPrice?: Decimal;
}

/** A named pre-trade check: returns a reason to refuse the order, or undefined to let it through. */
export interface RiskCheck {
  readonly name: string;
  check(ctx: RiskContext): string | undefined;
}

function refuse(market: Market, rule: string, message: string): VenueError {
  return new VenueError('invalid-argument', `${market.symbol} ${rule}: ${message}`, { venue: market.venue, operation: 'createOrder' });
}

/** The notional the order commits: price × amount (× contract size on contract markets). Market orders need `refPrice`. */
export function notionalOf(market: Market, order: OrderRequest, refPrice?: Decimal): Decimal | undefined {
  const price = order.price ?? refPrice;
  if (price === undefined) return undefined;
  const raw = price.mul(order.amount);
  return market.contractSize === undefined || market.linear === false ? raw : raw.mul(market.contractSize);
}

/**
 * Validates an order against the venue's filters. @throws VenueError `invalid-argument` naming the filter
 * (a limit without a price, a price off the tick, a size off the step, below min qty, above max qty, below min
 * notional, above max notional, outside min/max price).
 */
export function validateAgainstMarket(market: Market, order: OrderRequest, lastPrice?: Decimal): void {
  if (order.symbol !== market.symbol) throw refuse(market, 'symbol', `order is for ${order.symbol}`);
  if (!order.amount.isPositive()) throw refuse(market, 'amount', `must be positive, got ${order.amount}`);
  if (order.type === 'limit' && order.price === undefined) throw refuse(market, 'price', 'a limit order needs a price');
  if (order.type === 'market' && order.price !== undefined) throw refuse(market, 'price', 'a market order takes no price');
  if (order.type === 'market' && (order.postOnly === true || order.timeInForce !== undefined)) {
    throw refuse(market, 'type', 'post-only and time-in-force apply to limit orders only');
  }
  if (order.price !== undefined) {
    if (!order.price.isPositive()) throw refuse(market, 'price', `must be positive, got ${order.price}`);
    if (!order.price.isMultipleOf(market.tickSize)) throw refuse(market, 'tick size', `price ${order.price} is not a multiple of ${market.tickSize}`);
    if (market.minPrice !== undefined && market.minPrice.isPositive() && order.price.lt(market.minPrice)) throw refuse(market, 'min price', `price ${order.price} < ${market.minPrice}`);
    if (market.maxPrice !== undefined && market.maxPrice.isPositive() && order.price.gt(market.maxPrice)) throw refuse(market, 'max price', `price ${order.price} > ${market.maxPrice}`);
  }
  if (!order.amount.isMultipleOf(market.stepSize)) throw refuse(market, 'step size', `amount ${order.amount} is not a multiple of ${market.stepSize}`);
  const minQty = order.type === 'market' ? (market.marketMinQty ?? market.minQty) : market.minQty;
  const maxQty = order.type === 'market' ? (market.marketMaxQty ?? market.maxQty) : market.maxQty;
  if (minQty !== undefined && order.amount.lt(minQty)) throw refuse(market, 'min quantity', `amount ${order.amount} < ${minQty}`);
  if (maxQty !== undefined && maxQty.isPositive() && order.amount.gt(maxQty)) throw refuse(market, 'max quantity', `amount ${order.amount} > ${maxQty}`);
  const notional = notionalOf(market, order, lastPrice);
  if (notional !== undefined) {
    if (market.minNotional !== undefined && notional.lt(market.minNotional)) throw refuse(market, 'min notional', `notional ${notional} < ${market.minNotional}`);
    if (market.maxNotional !== undefined && market.maxNotional.isPositive() && notional.gt(market.maxNotional)) {
      throw refuse(market, 'max notional', `notional ${notional} > ${market.maxNotional}`);
    }
  }
}

/** Refuses orders larger than `max` (in the order's own units). @throws VenueError `invalid-argument` unless `max` is a positive decimal. */
export function maxQuantity(max: Decimal | string): RiskCheck {
  const limit = check.decimal('max', max, { positive: true });
  return { name: 'max quantity', check: ({ order }) => (order.amount.gt(limit) ? `amount ${order.amount} > ${limit}` : undefined) };
}

/**
 * Refuses orders whose notional exceeds `max`; a market order is valued at the last price (refused when unknown).
 * @throws VenueError `invalid-argument` unless `max` is a positive decimal.
 */
export function maxNotional(max: Decimal | string): RiskCheck {
  const limit = check.decimal('max', max, { positive: true });
  return {
    name: 'max notional',
    check: ({ order, market, lastPrice }) => {
      const n = notionalOf(market, order, lastPrice);
      if (n === undefined) return 'no price to value the order (no last price known)';
      return n.gt(limit) ? `notional ${n} > ${limit}` : undefined;
    },
  };
}

/**
 * Refuses limit orders priced more than `fraction` (e.g. `'0.05'` = 5 %) away from the last price; refuses
 * every priced order when no last price is known (fail closed).
 * @throws VenueError `invalid-argument` unless `fraction` is a positive decimal.
 */
export function priceBand(fraction: Decimal | string): RiskCheck {
  const band = check.decimal('fraction', fraction, { positive: true });
  return {
    name: 'price band',
    check: ({ order, lastPrice }) => {
      if (order.price === undefined) return undefined;
      if (lastPrice === undefined || !lastPrice.isPositive()) return 'no last price to check the band against';
      const width = lastPrice.mul(band);
      const lo = lastPrice.sub(width);
      const hi = lastPrice.add(width);
      return order.price.lt(lo) || order.price.gt(hi) ? `price ${order.price} outside ${lo} .. ${hi} (last ${lastPrice} ± ${band})` : undefined;
    },
  };
}

/** An ordered set of risk checks; `run` refuses with the first check that objects. */
export class RiskChecks {
  readonly #checks: RiskCheck[] = [];

  /** Adds a check; returns a function that removes it. @throws VenueError `invalid-argument` for anything but `{ name, check() }`. */
  add(riskCheck: RiskCheck): () => void {
    const given = check.object('check', riskCheck);
    check.string('check.name', given['name']);
    if (typeof given['check'] !== 'function') check.fail('check.check', `must be a function (ctx) => reason | undefined; got ${typeof given['check']}`);
    this.#checks.push(riskCheck);
    return () => {
      const i = this.#checks.indexOf(riskCheck);
      if (i >= 0) this.#checks.splice(i, 1);
    };
  }

  get names(): string[] {
    return this.#checks.map((c) => c.name);
  }

  /** @throws VenueError `rejected` (local, nothing sent) naming the check and its reason. */
  run(ctx: RiskContext): void {
    for (const c of this.#checks) {
      let reason: string | undefined;
      try {
        reason = c.check(ctx);
      } catch (err) {
        // A check that cannot decide refuses: risk controls fail closed.
        reason = `check failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      if (reason !== undefined) {
        throw new VenueError('rejected', `risk check "${c.name}" refused the ${ctx.order.side} ${ctx.order.amount} ${ctx.order.symbol} order: ${reason}`, {
          venue: ctx.market.venue,
          operation: 'createOrder',
        });
      }
    }
  }
}
