/**
 * Derivatives arithmetic of the simulator's trading core: notional and initial margin of linear and inverse
 * contracts, one-way positions (average entry, reduce with realized PnL, flip) and unrealized PnL at a mark.
 */
import { Decimal } from '../../../core/decimal.js';
import type { Instrument } from '../instruments.js';
import type { SimPosition, SimSide } from './engine-types.js';

/** Decimals kept where a division cannot be exact (inverse notional, average entry, proportional margin). */
export const DIV_SCALE = 12;

export function priceOf(inst: Instrument, priceUnits: number): Decimal {
  return Decimal.fromScaled(priceUnits, inst.priceScale);
}

export function qtyOf(inst: Instrument, qtyUnits: number): Decimal {
  return Decimal.fromScaled(qtyUnits, inst.qtyScale);
}

/** Value of `qtyUnits` at `price` in the settlement currency: linear `price*qty*contractSize`, inverse `qty*contractSize/price`. */
export function notional(inst: Instrument, qtyUnits: number, price: Decimal): Decimal {
  const contracts = qtyOf(inst, qtyUnits).mul(inst.contractSize);
  return inst.inverse ? contracts.div(price, DIV_SCALE).normalize() : contracts.mul(price).normalize();
}

/** Initial margin of `qtyUnits` at `price`: notional / leverage. */
export function initialMargin(inst: Instrument, qtyUnits: number, price: Decimal, leverage: number): Decimal {
  return notional(inst, qtyUnits, price).div(Decimal.from(leverage), DIV_SCALE).normalize();
}

/** PnL in settlement currency of `qtyUnits` held in direction `dir` (1 long, -1 short) from `entry` to `exit`. */
export function pnl(inst: Instrument, dir: 1 | -1, qtyUnits: number, entry: Decimal, exit: Decimal): Decimal {
  if (qtyUnits === 0 || entry.isZero() || exit.isZero()) return Decimal.ZERO;
  let gain: Decimal;
  if (inst.inverse) {
    const contracts = qtyOf(inst, qtyUnits).mul(inst.contractSize);
    gain = contracts.div(entry, DIV_SCALE).sub(contracts.div(exit, DIV_SCALE));
  } else gain = exit.sub(entry).mul(qtyOf(inst, qtyUnits)).mul(inst.contractSize);
  return (dir === 1 ? gain : gain.neg()).normalize();
}

/** A one-way position as the engine keeps it (mutable inside the engine; handed out as `SimPosition` copies). */
export class PositionState {
  sizeUnits = 0;
  entryPrice: Decimal = Decimal.ZERO;
  realizedPnl: Decimal = Decimal.ZERO;
  margin: Decimal = Decimal.ZERO;
  updatedAt = 0;
  /** True once a fill touched it (flat positions are listed from then on). */
  traded = false;

  constructor(
    readonly inst: Instrument,
    public leverage: number,
  ) {}

  /** How many of `qtyUnits` on `side` close the current position (the rest opens or adds). */
  closingUnits(side: SimSide, qtyUnits: number): number {
    const reduces = (side === 'buy' && this.sizeUnits < 0) || (side === 'sell' && this.sizeUnits > 0);
    return reduces ? Math.min(qtyUnits, Math.abs(this.sizeUnits)) : 0;
  }

  /** Closes `closeUnits` at `price`; returns the realized PnL and the margin it frees. */
  reduce(closeUnits: number, price: Decimal, time: number): { readonly realized: Decimal; readonly marginReleased: Decimal } {
    const abs = Math.abs(this.sizeUnits);
    const dir = this.sizeUnits > 0 ? 1 : -1;
    const realized = pnl(this.inst, dir, closeUnits, this.entryPrice, price);
    const marginReleased = closeUnits === abs ? this.margin : this.margin.mul(Decimal.from(closeUnits)).div(Decimal.from(abs), DIV_SCALE).normalize();
    this.margin = this.margin.sub(marginReleased);
    this.sizeUnits -= dir * closeUnits;
    this.realizedPnl = this.realizedPnl.add(realized);
    if (this.sizeUnits === 0) {
      this.entryPrice = Decimal.ZERO;
      this.margin = Decimal.ZERO;
    }
    this.updatedAt = time;
    return { realized, marginReleased };
  }

  /** Opens or adds `openUnits` on `side` at `price`, holding `margin` for it; the entry becomes the average. */
  increase(side: SimSide, openUnits: number, price: Decimal, margin: Decimal, time: number): void {
    const abs = Math.abs(this.sizeUnits);
    if (abs === 0) this.entryPrice = price;
    else if (this.inst.inverse) {
      // Inverse contracts average in 1/price: entry = total / (held/entry + added/price).
      const held = Decimal.from(abs);
      const added = Decimal.from(openUnits);
      this.entryPrice = held.add(added).div(held.div(this.entryPrice, DIV_SCALE).add(added.div(price, DIV_SCALE)), DIV_SCALE).normalize();
    } else {
      const held = Decimal.from(abs);
      const added = Decimal.from(openUnits);
      this.entryPrice = this.entryPrice.mul(held).add(price.mul(added)).div(held.add(added), DIV_SCALE).normalize();
    }
    this.sizeUnits += side === 'buy' ? openUnits : -openUnits;
    this.margin = this.margin.add(margin);
    this.updatedAt = time;
  }

  /** A detached view at `mark` (undefined: the entry price). */
  view(symbol: string, mark: Decimal | undefined): SimPosition {
    const markPrice = mark ?? this.entryPrice;
    const dir = this.sizeUnits >= 0 ? 1 : -1;
    return {
      symbol,
      sizeUnits: this.sizeUnits,
      entryPrice: this.entryPrice,
      markPrice,
      unrealizedPnl: pnl(this.inst, dir, Math.abs(this.sizeUnits), this.entryPrice, markPrice),
      realizedPnl: this.realizedPnl,
      leverage: this.leverage,
      marginMode: 'cross',
      margin: this.margin,
      updatedAt: this.updatedAt,
    };
  }
}
