/**
 * Price-time matching of the simulator's trading core: the engine's resting orders per symbol and side, and the
 * pure plan of what an incoming order takes (resting engine orders and the market's L2 levels, best price first).
 */
import { Decimal } from '../../../core/decimal.js';
import type { BookSide } from '../book-engine.js';
import type { SimOrder, SimOrderStatus, SimRejectReason, SimSide } from './engine-types.js';

/** An order as the engine keeps it; `view` is the immutable snapshot handed out, replaced after every change. */
export interface OrderRecord extends Pick<SimOrder, 'orderId' | 'clientOrderId' | 'apiKey' | 'symbol' | 'side' | 'type' | 'timeInForce' | 'reduceOnly' | 'qtyUnits' | 'createdAt'> {
  /** Arrival sequence (time priority). */
  readonly seq: number;
  readonly priceUnits: number | undefined;
  filledUnits: number;
  cumQuote: Decimal;
  status: SimOrderStatus;
  rejectReason: SimRejectReason | undefined;
  updatedAt: number;
  /** Currency and amount still locked for this order (spot: quote or base; derivatives: settlement margin). */
  lockCurrency: string;
  locked: Decimal;
  view: SimOrder;
}

export function isOpen(o: OrderRecord): boolean {
  return o.status === 'new' || o.status === 'partially-filled';
}

/** Whether `price` is within the limit of a `side` order (no limit: always). */
export function withinLimit(side: SimSide, price: number, limit: number | undefined): boolean {
  return limit === undefined || (side === 'buy' ? price <= limit : price >= limit);
}

/** The resting engine orders of one symbol, each side best price first, oldest first at a price. */
export class RestingBook {
  readonly bids: OrderRecord[] = [];
  readonly asks: OrderRecord[] = [];

  side(side: SimSide): OrderRecord[] {
    return side === 'buy' ? this.bids : this.asks;
  }

  get size(): number {
    return this.bids.length + this.asks.length;
  }

  insert(o: OrderRecord): void {
    const list = this.side(o.side);
    const price = o.priceUnits as number;
    let i = list.length;
    // Behind every order at a better or equal price.
    while (i > 0) {
      const prev = list[i - 1] as OrderRecord;
      const prevPrice = prev.priceUnits as number;
      const behind = o.side === 'buy' ? prevPrice >= price : prevPrice <= price;
      if (behind) break;
      i--;
    }
    list.splice(i, 0, o);
  }

  remove(o: OrderRecord): void {
    const list = this.side(o.side);
    const i = list.indexOf(o);
    if (i >= 0) list.splice(i, 1);
  }
}

/** One execution of a plan: against a resting engine order (`maker`) or a level of the market's book. */
export type PlanStep =
  | { readonly kind: 'maker'; readonly maker: OrderRecord; readonly priceUnits: number; readonly qtyUnits: number }
  | { readonly kind: 'book'; readonly priceUnits: number; readonly qtyUnits: number };

export interface MatchPlan {
  readonly steps: readonly PlanStep[];
  readonly filledUnits: number;
  /** Units taken from the market's book and the worst price reached there (the limit for `takeLiquidity`). */
  readonly bookUnits: number;
  readonly bookWorstPrice: number | undefined;
  /** Resting orders of the same account the order reached: self-trade prevention expires them (EXPIRE_MAKER). */
  readonly selfTradeExpired: readonly OrderRecord[];
  /** Reduce-only resting orders reached that can no longer reduce anything: expired. */
  readonly unfillableExpired: readonly OrderRecord[];
  /** Sum of price × qty over the steps, in `priceScale + qtyScale` units. */
  readonly costUnits: bigint;
}

export interface PlanInput {
  readonly apiKey: string;
  readonly side: SimSide;
  readonly qtyUnits: number;
  readonly limitUnits: number | undefined;
  /** The other side's resting engine orders, best first. */
  readonly resting: readonly OrderRecord[];
  /** The other side of the market's L2 book. */
  readonly book: BookSide;
  /** What a resting order can still fill (reduce-only orders: at most what their position can reduce). */
  readonly capacity: (maker: OrderRecord) => number;
}

/**
 * What an order of `qtyUnits` would take, best price first; at one price the engine's resting orders (oldest
 * first) come before the market's level. Pure: nothing changes.
 */
export function planMatch(input: PlanInput): MatchPlan {
  const { side, limitUnits, resting, book } = input;
  const steps: PlanStep[] = [];
  const selfTradeExpired: OrderRecord[] = [];
  const unfillableExpired: OrderRecord[] = [];
  let remaining = input.qtyUnits;
  let rank = 0;
  let bookLeft = -1; // size left at the current book level (-1: not read yet)
  let bookUnits = 0;
  let bookWorstPrice: number | undefined;
  let costUnits = 0n;
  let i = 0;
  while (remaining > 0) {
    const maker = resting[i];
    const makerPrice = maker?.priceUnits;
    const levelPrice = book.priceAt(rank);
    if (levelPrice !== undefined && bookLeft < 0) bookLeft = book.get(levelPrice);
    const makerFirst = makerPrice !== undefined && (levelPrice === undefined || (side === 'buy' ? makerPrice <= levelPrice : makerPrice >= levelPrice));
    if (maker !== undefined && makerPrice !== undefined && makerFirst) {
      if (!withinLimit(side, makerPrice, limitUnits)) break;
      i++;
      if (maker.apiKey === input.apiKey) {
        selfTradeExpired.push(maker);
        continue;
      }
      const cap = input.capacity(maker);
      if (cap <= 0) {
        unfillableExpired.push(maker);
        continue;
      }
      const q = Math.min(cap, remaining);
      steps.push({ kind: 'maker', maker, priceUnits: makerPrice, qtyUnits: q });
      costUnits += BigInt(makerPrice) * BigInt(q);
      remaining -= q;
      continue;
    }
    if (levelPrice === undefined || !withinLimit(side, levelPrice, limitUnits)) break;
    const q = Math.min(bookLeft, remaining);
    steps.push({ kind: 'book', priceUnits: levelPrice, qtyUnits: q });
    costUnits += BigInt(levelPrice) * BigInt(q);
    bookUnits += q;
    bookWorstPrice = levelPrice;
    remaining -= q;
    bookLeft -= q;
    if (bookLeft <= 0) {
      rank++;
      bookLeft = -1;
    }
  }
  return { steps, filledUnits: input.qtyUnits - remaining, bookUnits, bookWorstPrice, selfTradeExpired, unfillableExpired, costUnits };
}

/** The cost of a plan as a `Decimal` of quote currency. */
export function planCost(plan: MatchPlan, priceScale: number, qtyScale: number): Decimal {
  return Decimal.fromScaled(plan.costUnits, priceScale + qtyScale);
}

/** The smaller of two decimals. */
export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return a.lt(b) ? a : b;
}

/** The immutable snapshot of an order record, handed out and never changed. */
export function viewOf(o: OrderRecord): SimOrder {
  return Object.freeze({
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    apiKey: o.apiKey,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    reduceOnly: o.reduceOnly,
    ...(o.priceUnits === undefined ? {} : { priceUnits: o.priceUnits }),
    qtyUnits: o.qtyUnits,
    filledUnits: o.filledUnits,
    cumQuote: o.cumQuote,
    status: o.status,
    ...(o.rejectReason === undefined ? {} : { rejectReason: o.rejectReason }),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  });
}
