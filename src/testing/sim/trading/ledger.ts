/**
 * One simulator account's money: free and locked balances per currency (exact `Decimal`), the moves the engine
 * makes on them (lock, release, spend, credit) and the set of currencies an operation touched.
 */
import { Decimal } from '../../../core/decimal.js';
import type { SimBalance, SimCredentials } from './engine-types.js';

interface Holding {
  free: Decimal;
  locked: Decimal;
}

/** Balances of one account. Every move keeps `free + locked` changing only by what came in or went out. */
export class Ledger {
  private readonly holdings = new Map<string, Holding>();
  /** Currencies changed since the last `takeChanged()`, in the order they changed. */
  private readonly changed = new Set<string>();

  constructor(
    readonly credentials: SimCredentials,
    balances: Readonly<Record<string, string>> = {},
  ) {
    for (const [currency, amount] of Object.entries(balances)) this.holdings.set(currency, { free: Decimal.from(amount), locked: Decimal.ZERO });
  }

  free(currency: string): Decimal {
    return this.holdings.get(currency)?.free ?? Decimal.ZERO;
  }

  locked(currency: string): Decimal {
    return this.holdings.get(currency)?.locked ?? Decimal.ZERO;
  }

  /** Moves `amount` from free to locked (the caller checked `free >= amount`). */
  lock(currency: string, amount: Decimal): void {
    if (amount.isZero()) return;
    const h = this.holding(currency);
    h.free = h.free.sub(amount);
    h.locked = h.locked.add(amount);
  }

  /** Moves `amount` from locked back to free. */
  release(currency: string, amount: Decimal): void {
    if (amount.isZero()) return;
    const h = this.holding(currency);
    h.locked = h.locked.sub(amount);
    h.free = h.free.add(amount);
  }

  /** Takes `amount` out of locked (it leaves the account: paid to a counterparty or held as position margin). */
  spendLocked(currency: string, amount: Decimal): void {
    if (amount.isZero()) return;
    const h = this.holding(currency);
    h.locked = h.locked.sub(amount);
  }

  /** Adds `amount` (negative: takes it) to free. */
  credit(currency: string, amount: Decimal): void {
    if (amount.isZero()) {
      this.holding(currency);
      return;
    }
    const h = this.holding(currency);
    h.free = h.free.add(amount);
  }

  /** Every currency held, in the order first seen. */
  all(): SimBalance[] {
    return [...this.holdings.keys()].map((c) => this.balance(c));
  }

  balance(currency: string): SimBalance {
    const h = this.holdings.get(currency);
    return { currency, free: h?.free ?? Decimal.ZERO, locked: h?.locked ?? Decimal.ZERO };
  }

  /** The balances of the currencies changed since the last call (and forgets them). */
  takeChanged(): SimBalance[] {
    const out = [...this.changed].map((c) => this.balance(c));
    this.changed.clear();
    return out;
  }

  private holding(currency: string): Holding {
    this.changed.add(currency);
    let h = this.holdings.get(currency);
    if (h === undefined) {
      h = { free: Decimal.ZERO, locked: Decimal.ZERO };
      this.holdings.set(currency, h);
    }
    return h;
  }
}
