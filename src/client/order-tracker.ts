/**
 * The client's book of orders: every order venuekit placed or was told about, keyed by client order id and venue
 * id, updated only through the order state machine, with each change and each new fill handed to listeners once,
 * and each oddity a report carried handed to problem listeners.
 */
import type { Fill, Order, OrderReport } from '../core/orders/order-model.js';
import type { DecodeProblem } from '../core/problems.js';
import { TERMINAL_STATUSES } from '../core/orders/order-model.js';
import { applyFill, applyReport, orderFromReport } from '../core/orders/order-state.js';
import type { OrderChange } from '../core/orders/order-state.js';

/**
 * What a listener is told after a change: the order as it is now and the fills seen for the first time. A fill of
 * an order not (yet) known comes alone, with `order` undefined; it is not told again once its order is known.
 */
export interface TrackedChange {
  readonly order: Order | undefined;
  readonly newFills: readonly Fill[];
}

/** Fills seen before their order was known, kept until it is (bounded). */
const MAX_ORPHAN_FILLS = 10_000;
/** Fill ids remembered for telling each fill once. */
const MAX_TOLD = 200_000;

export class OrderTracker {
  readonly #byClientId = new Map<string, Order>();
  /** Venue order id → the key of the order in `#byClientId`. */
  readonly #keyById = new Map<string, string>();
  readonly #listeners = new Set<(change: TrackedChange) => void>();
  readonly #problemListeners = new Set<(problem: DecodeProblem, report: OrderReport) => void>();
  /** Fills whose order we have not seen yet, by order id (a Bybit execution may come before its order event). */
  readonly #orphans = new Map<string, Fill[]>();
  #orphanCount = 0;
  /** Trade ids already handed to listeners (bounded: the oldest are forgotten first). */
  readonly #told = new Set<string>();
  /** Exchange time of the newest fill seen, per symbol: where reconciliation asks for fills from. */
  readonly #lastFillAt = new Map<string, number>();

  /** Calls `listener` after every change; returns the function that stops it. */
  listen(listener: (change: TrackedChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` with each problem a report carries (an unknown status passed through...), when it is applied. */
  listenProblems(listener: (problem: DecodeProblem, report: OrderReport) => void): () => void {
    this.#problemListeners.add(listener);
    return () => this.#problemListeners.delete(listener);
  }

  /** Starts tracking an order venuekit is about to send. */
  add(order: Order): void {
    this.#store(order);
    this.#emit(order, []);
  }

  /** Replaces the tracked order by a locally changed copy (pending-cancel, outcome-unknown). */
  update(order: Order): void {
    if (this.#find(order) === undefined) return;
    this.#store(order);
    this.#emit(order, []);
  }

  /** The tracked order with this id or client order id. */
  get(ref: { readonly id?: string; readonly clientOrderId?: string }): Order | undefined {
    if (ref.clientOrderId !== undefined) {
      const o = this.#byClientId.get(ref.clientOrderId);
      if (o !== undefined) return o;
    }
    if (ref.id !== undefined) {
      const key = this.#keyById.get(ref.id);
      if (key !== undefined) return this.#byClientId.get(key);
    }
    return undefined;
  }

  /** Every tracked order, optionally of one symbol. */
  all(symbol?: string): Order[] {
    const out: Order[] = [];
    for (const o of this.#byClientId.values()) if (symbol === undefined || o.symbol === symbol) out.push(o);
    return out;
  }

  /** Orders not yet final (including those whose place outcome is unknown). */
  live(symbol?: string): Order[] {
    return this.all(symbol).filter((o) => !TERMINAL_STATUSES.has(o.status) || o.outcomeUnknown);
  }

  /** Venue ids of orders whose fills were seen before (or without) the order itself, on `symbol`. */
  orphanOrderIds(symbol: string): string[] {
    const out: string[] = [];
    for (const [id, fills] of this.#orphans) if (fills[0]?.symbol === symbol) out.push(id);
    return out;
  }

  /** Exchange time of the newest fill seen on `symbol`. */
  lastFillAt(symbol: string): number | undefined {
    return this.#lastFillAt.get(symbol);
  }

  /** Applies a venue report (REST or stream); an order we did not place is tracked from it. */
  applyReport(report: OrderReport): TrackedChange | undefined {
    if (report.problems !== undefined) for (const p of report.problems) for (const l of this.#problemListeners) l(p, report);
    const current = this.#find(report);
    let change: OrderChange;
    if (current === undefined) {
      if (report.side === undefined || report.type === undefined || report.amount === undefined) {
        // An order that cannot be modelled (placed elsewhere, sized in quote...): its fills are the account's all the same.
        for (const f of fillsOf(report)) this.applyFill(f);
        return undefined;
      }
      const order = orderFromReport(report);
      change = { order, changed: true, newFills: order.fills };
    } else {
      change = applyReport(current, report);
    }
    let { order } = change;
    const newFills = [...change.newFills];
    // Fills that arrived before the order did.
    const waiting = order.id === undefined ? undefined : this.#orphans.get(order.id);
    if (waiting !== undefined && order.id !== undefined) {
      this.#orphans.delete(order.id);
      this.#orphanCount -= waiting.length;
      for (const f of waiting) {
        const c = applyFill(order, f);
        order = c.order;
        newFills.push(...c.newFills);
      }
    }
    if (!change.changed && newFills.length === 0) return undefined;
    this.#store(order);
    this.#noteFills(newFills);
    this.#emit(order, this.#untold(newFills));
    return { order, newFills };
  }

  /** Applies a fill that came on its own (an execution event, a `fetchMyTrades` row). */
  applyFill(fill: Fill): TrackedChange | undefined {
    const current = this.#find({ ...(fill.orderId === undefined ? {} : { orderId: fill.orderId }), ...(fill.clientOrderId === undefined ? {} : { clientOrderId: fill.clientOrderId }) });
    if (current === undefined) {
      if (fill.orderId !== undefined && this.#orphanCount < MAX_ORPHAN_FILLS) {
        const list = this.#orphans.get(fill.orderId) ?? [];
        if (!list.some((f) => f.tradeId === fill.tradeId)) {
          list.push(fill);
          this.#orphanCount++;
        }
        this.#orphans.set(fill.orderId, list);
      }
      // The account's fill all the same (an order placed elsewhere, or its event not here yet): told once now.
      const untold = this.#untold([fill]);
      if (untold.length > 0) {
        this.#noteFills(untold);
        this.#emit(undefined, untold);
      }
      return undefined;
    }
    const change = applyFill(current, fill);
    if (!change.changed) return undefined;
    this.#store(change.order);
    this.#noteFills(change.newFills);
    this.#emit(change.order, this.#untold(change.newFills));
    return { order: change.order, newFills: change.newFills };
  }

  #find(r: { readonly orderId?: string | undefined; readonly clientOrderId?: string | undefined; readonly id?: string | undefined }): Order | undefined {
    const id = r.orderId ?? r.id;
    if (r.clientOrderId !== undefined) {
      const o = this.#byClientId.get(r.clientOrderId);
      if (o !== undefined) return o;
    }
    if (id !== undefined) {
      const key = this.#keyById.get(id);
      if (key !== undefined) return this.#byClientId.get(key);
    }
    return undefined;
  }

  #store(order: Order): void {
    const key = this.#keyOf(order);
    this.#byClientId.set(key, order);
    if (order.id !== undefined) this.#keyById.set(order.id, key);
  }

  /** The map key: the client order id, or for orders known without one, the venue id. */
  #keyOf(order: Order): string {
    if (order.clientOrderId !== undefined) return order.clientOrderId;
    const existing = order.id === undefined ? undefined : this.#keyById.get(order.id);
    return existing ?? `#${order.id ?? ''}`;
  }

  #noteFills(fills: readonly Fill[]): void {
    for (const f of fills) if ((this.#lastFillAt.get(f.symbol) ?? 0) < f.exchangeTime) this.#lastFillAt.set(f.symbol, f.exchangeTime);
  }

  /** The fills not yet handed to listeners, marked as handed now. */
  #untold(fills: readonly Fill[]): Fill[] {
    const out: Fill[] = [];
    for (const f of fills) {
      const key = `${f.symbol}|${f.tradeId}`;
      if (this.#told.has(key)) continue;
      this.#told.add(key);
      out.push(f);
    }
    if (this.#told.size > MAX_TOLD) {
      let drop = this.#told.size - MAX_TOLD;
      for (const k of this.#told) {
        if (drop-- <= 0) break;
        this.#told.delete(k);
      }
    }
    return out;
  }

  #emit(order: Order | undefined, newFills: readonly Fill[]): void {
    for (const l of this.#listeners) l({ order, newFills });
  }
}

function fillsOf(r: OrderReport): readonly Fill[] {
  if (r.fills === undefined) return r.fill === undefined ? [] : [r.fill];
  return r.fill === undefined ? r.fills : [r.fill, ...r.fills];
}
