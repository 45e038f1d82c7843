/**
 * The order state machine (ORDR-07/09): merges venue reports arriving in any order from REST and private
 * streams into one `Order`, allowing only valid transitions, deduplicating fills by trade id and never
 * letting the filled quantity go backwards or count twice. Pure: no I/O, no timers.
 */
import { Decimal } from '../decimal.js';
import { VenueError } from '../errors.js';
import type { Fill, Order, OrderReport, OrderRequest, OrderStatus, ReportedStatus } from './order-model.js';
import { TERMINAL_STATUSES } from './order-model.js';

/** How far along the lifecycle a status is; a report never moves an order back. */
const PROGRESS: Record<OrderStatus, number> = {
  'pending-new': 0,
  new: 1,
  'pending-cancel': 2,
  'partially-filled': 2,
  filled: 3,
  cancelled: 3,
  rejected: 3,
  expired: 3,
};

/** Every transition the machine allows (`from` → set of `to`). Anything else is refused. */
const ALLOWED: Record<OrderStatus, ReadonlySet<OrderStatus>> = {
  'pending-new': new Set(['new', 'partially-filled', 'filled', 'pending-cancel', 'cancelled', 'rejected', 'expired']),
  // Some venues reject after acknowledging (a post-only order that would take).
  new: new Set(['partially-filled', 'filled', 'pending-cancel', 'cancelled', 'rejected', 'expired']),
  'partially-filled': new Set(['partially-filled', 'filled', 'pending-cancel', 'cancelled', 'expired']),
  'pending-cancel': new Set(['new', 'partially-filled', 'filled', 'cancelled', 'expired']),
  // A cancel that lost the race against the last fill: the venue's fills are the truth.
  cancelled: new Set(['filled']),
  expired: new Set(['filled']),
  filled: new Set(),
  rejected: new Set(),
};

/** True when the machine allows `from` → `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return from === to || ALLOWED[from].has(to);
}

/** What applying one report or fill did. */
export interface OrderChange {
  readonly order: Order;
  /** The order changed (status, quantities, ids or fees). */
  readonly changed: boolean;
  /** Fills seen for the first time with this change (each trade id is new exactly once). */
  readonly newFills: readonly Fill[];
  /** Why (part of) the report was not applied: stale status, invalid transition, duplicate fill. */
  readonly ignored?: string;
}

/** The order as first sent: `pending-new`, nothing filled. */
export function pendingOrder(venue: Order['venue'], req: OrderRequest, clientOrderId: string, now: number): Order {
  return {
    venue,
    symbol: req.symbol,
    clientOrderId,
    side: req.side,
    type: req.type,
    ...(req.price === undefined ? {} : { price: req.price }),
    amount: req.amount,
    ...(req.timeInForce === undefined ? {} : { timeInForce: req.timeInForce }),
    postOnly: req.postOnly === true,
    reduceOnly: req.reduceOnly === true,
    status: 'pending-new',
    filled: Decimal.ZERO,
    remaining: req.amount,
    fees: {},
    fills: [],
    outcomeUnknown: false,
    createdAt: now,
    updatedAt: now,
  };
}

/** An order known only from a venue report (found by a query or a stream event we did not place). */
export function orderFromReport(r: OrderReport): Order {
  if (r.side === undefined || r.type === undefined || r.amount === undefined) {
    throw new VenueError('decode', `order report for ${r.orderId ?? r.clientOrderId ?? '?'} lacks side, type or amount`, { venue: r.venue });
  }
  const base: Order = {
    venue: r.venue,
    symbol: r.symbol,
    ...(r.orderId === undefined ? {} : { id: r.orderId }),
    ...(r.clientOrderId === undefined ? {} : { clientOrderId: r.clientOrderId }),
    side: r.side,
    type: r.type,
    ...(r.price === undefined ? {} : { price: r.price }),
    amount: r.amount,
    ...(r.timeInForce === undefined ? {} : { timeInForce: r.timeInForce }),
    postOnly: r.postOnly === true,
    reduceOnly: r.reduceOnly === true,
    status: 'pending-new',
    filled: Decimal.ZERO,
    remaining: r.amount,
    fees: {},
    fills: [],
    outcomeUnknown: false,
    ...(r.venueType === undefined ? {} : { venueType: r.venueType }),
    createdAt: r.exchangeTime,
    updatedAt: r.exchangeTime,
  };
  return applyReport(base, r).order;
}

/** The status a report implies, given the quantities known after it. */
function impliedStatus(reported: ReportedStatus, filled: Decimal, amount: Decimal): OrderStatus {
  if (reported === 'rejected') return 'rejected';
  if (filled.gte(amount) && amount.isPositive()) return 'filled';
  if (reported === 'new' && filled.isPositive()) return 'partially-filled';
  if (reported === 'filled' && filled.lt(amount)) return 'filled'; // the venue's word; quantities catch up
  return reported;
}

/** Adds fills not seen before (by trade id); returns the new order fields and the new fills. */
function mergeFills(o: Order, incoming: readonly Fill[]): { fills: Fill[]; fees: Record<string, Decimal>; sum: Decimal; added: Fill[] } {
  const seen = new Set(o.fills.map((f) => f.tradeId));
  const fills = [...o.fills];
  const fees: Record<string, Decimal> = { ...o.fees };
  const added: Fill[] = [];
  for (const f of incoming) {
    if (seen.has(f.tradeId)) continue;
    seen.add(f.tradeId);
    fills.push(f);
    added.push(f);
    if (f.fee !== undefined && f.feeCurrency !== undefined) fees[f.feeCurrency] = (fees[f.feeCurrency] ?? Decimal.ZERO).add(f.fee);
  }
  let sum = Decimal.ZERO;
  for (const f of fills) sum = sum.add(f.amount);
  return { fills, fees, sum, added };
}

/** Volume-weighted average of the fills, to the finest scale among their prices (+4 digits). */
function averageOf(fills: readonly Fill[]): Decimal | undefined {
  let qty = Decimal.ZERO;
  let notional = Decimal.ZERO;
  let scale = 0;
  for (const f of fills) {
    qty = qty.add(f.amount);
    notional = notional.add(f.price.mul(f.amount));
    const s = f.price.toString().split('.')[1]?.length ?? 0;
    if (s > scale) scale = s;
  }
  return qty.isPositive() ? notional.div(qty, scale + 4) : undefined;
}

/**
 * Applies one venue report. Quantities only grow (cumulative filled is the max of what the venue said and what
 * the fills add up to); a status older than the current one is ignored; a terminal order accepts late fills
 * (and becomes `filled` when they complete it) but never reopens.
 */
export function applyReport(o: Order, r: OrderReport): OrderChange {
  if (o.id !== undefined && r.orderId !== undefined && o.id !== r.orderId) {
    throw new VenueError('invalid-argument', `report for order ${r.orderId} applied to order ${o.id}`, { venue: o.venue });
  }
  const incoming = r.fills === undefined ? (r.fill === undefined ? [] : [r.fill]) : r.fill === undefined ? r.fills : [r.fill, ...r.fills];
  const merged = mergeFills(o, incoming);
  let filled = o.filled;
  if (r.filled !== undefined && r.filled.gt(filled)) filled = r.filled;
  if (merged.sum.gt(filled)) filled = merged.sum;
  const amount = o.amount;
  const target = impliedStatus(r.status, filled, amount);
  let status = o.status;
  let ignored: string | undefined;
  if (target !== status) {
    if (status === 'pending-cancel' && (target === 'new' || target === 'partially-filled')) {
      // Still live while our cancel is in flight: stay pending-cancel (its fills count all the same).
    } else if (canTransition(status, target) && PROGRESS[target] >= PROGRESS[status]) status = target;
    else ignored = `stale or invalid ${o.status} → ${target} (${r.source})`;
  }
  // ccxt's meaning in every state: what was not filled, also once the order is over (an IOC that expired half filled).
  const remaining = nonNegative(amount.sub(filled));
  // Our own fills give the exact average when they cover everything filled; else the venue's figure.
  const fromFills = merged.sum.eq(filled) ? averageOf(merged.fills) : undefined;
  const average = fromFills ?? (r.average !== undefined && r.average.isPositive() ? r.average : o.average);
  const idChanged = (o.id === undefined && r.orderId !== undefined) || (o.clientOrderId === undefined && r.clientOrderId !== undefined);
  // The venue's own status follows the newest report the machine took (a stale one says nothing about now).
  const venueStatus = ignored === undefined ? r.venueStatus : o.venueStatus;
  const venueChanged = venueStatus !== o.venueStatus || (o.venueType === undefined && r.venueType !== undefined);
  const changed = status !== o.status || !filled.eq(o.filled) || merged.added.length > 0 || idChanged || venueChanged || o.outcomeUnknown || (r.reason !== undefined && status !== o.status);
  if (!changed) return { order: o, changed: false, newFills: [], ...(ignored === undefined ? {} : { ignored }) };
  const { venueStatus: _previous, ...rest } = o;
  const order: Order = {
    ...rest,
    ...(o.id === undefined && r.orderId !== undefined ? { id: r.orderId } : {}),
    ...(o.clientOrderId === undefined && r.clientOrderId !== undefined ? { clientOrderId: r.clientOrderId } : {}),
    ...(venueStatus === undefined ? {} : { venueStatus }),
    ...(o.venueType === undefined && r.venueType !== undefined ? { venueType: r.venueType } : {}),
    status,
    filled,
    remaining,
    ...(average === undefined ? {} : { average }),
    fees: merged.fees,
    fills: merged.fills,
    outcomeUnknown: false,
    ...(r.reason !== undefined && status !== o.status ? { reason: r.reason } : {}),
    updatedAt: Math.max(o.updatedAt, r.exchangeTime),
  };
  return { order, changed: true, newFills: merged.added, ...(ignored === undefined ? {} : { ignored }) };
}

function nonNegative(d: Decimal): Decimal {
  return d.isNegative() ? Decimal.ZERO : d;
}

/** Applies a fill that arrived on its own (Bybit `execution`, a `fetchMyTrades` row). */
export function applyFill(o: Order, f: Fill): OrderChange {
  // Restating the current status keeps it; the fill alone moves the quantities (and `filled` when complete).
  const status: ReportedStatus = TERMINAL_STATUSES.has(o.status) ? (o.status as ReportedStatus) : o.status === 'partially-filled' ? 'partially-filled' : 'new';
  return applyReport(o, {
    venue: o.venue,
    symbol: o.symbol,
    status,
    fill: f,
    exchangeTime: f.exchangeTime,
    receivedAt: f.receivedAt,
    source: 'stream',
    ...(o.id === undefined ? {} : { orderId: o.id }),
    ...(o.venueStatus === undefined ? {} : { venueStatus: o.venueStatus }),
  });
}

/** Marks a cancel as sent (`pending-cancel`); refuses when the order is already final. */
export function markCancelling(o: Order): Order {
  if (TERMINAL_STATUSES.has(o.status)) throw new VenueError('rejected', `order ${o.id ?? o.clientOrderId} is already ${o.status}`, { venue: o.venue });
  return o.status === 'pending-cancel' ? o : { ...o, status: 'pending-cancel' };
}

/** A cancel the venue refused while the order lives on: back to what its fills say. */
export function cancelRefused(o: Order): Order {
  if (o.status !== 'pending-cancel') return o;
  return { ...o, status: o.filled.isPositive() ? 'partially-filled' : 'new' };
}

/** A place or cancel whose outcome is unknown (timeout, ambiguous 5xx): flagged until a report resolves it. */
export function markOutcomeUnknown(o: Order): Order {
  return o.outcomeUnknown ? o : { ...o, outcomeUnknown: true };
}
