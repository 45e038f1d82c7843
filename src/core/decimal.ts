/**
 * The one exact decimal type for prices, sizes, balances and fees (bigint mantissa + scale), and the
 * scaled-integer parse the order book uses on its hot path. No JS float ever touches money here.
 */
import { VenueError } from './errors.js';

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 40; i++, p *= 10n) POW10.push(p);
function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/** Rounding for operations that cannot be exact (division, rescaling down). */
export type Rounding = 'down' | 'up' | 'half-even' | 'half-up' | 'floor' | 'ceil';

/**
 * An immutable exact decimal: `mantissa × 10^-scale`. Keeps the scale it was written with, so
 * `Decimal.from('0.0100').toString()` is `'0.0100'` (venue strings round-trip); compare with `eq`/`cmp`.
 */
export class Decimal {
  readonly mantissa: bigint;
  readonly scale: number;

  private constructor(mantissa: bigint, scale: number) {
    this.mantissa = mantissa;
    this.scale = scale;
  }

  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  /** Parses a plain decimal string (`-12.340`, `1e-8` also accepted). Throws `decode` on anything else. */
  static from(text: string | number | bigint | Decimal): Decimal {
    if (text instanceof Decimal) return text;
    if (typeof text === 'bigint') return new Decimal(text, 0);
    if (typeof text === 'number') {
      if (!Number.isSafeInteger(text)) {
        throw new VenueError('invalid-argument', `Decimal.from(number) takes safe integers only, got ${text}; pass a string`);
      }
      return new Decimal(BigInt(text), 0);
    }
    const d = Decimal.tryParse(text);
    if (d === undefined) throw new VenueError('decode', `invalid decimal ${JSON.stringify(text).slice(0, 64)}`);
    return d;
  }

  /** Like `from` but returns undefined for an invalid string. */
  static tryParse(text: string): Decimal | undefined {
    const m = DECIMAL_RE.exec(text);
    if (m === null) return undefined;
    const [, sign, int = '', frac = '', exp] = m;
    if (int === '' && frac === '') return undefined;
    let mantissa = BigInt((int || '0') + frac);
    let scale = frac.length;
    if (exp !== undefined) {
      const e = Number(exp);
      if (!Number.isSafeInteger(e) || Math.abs(e) > 1000) return undefined;
      if (e >= scale) {
        mantissa *= pow10(e - scale);
        scale = 0;
      } else scale -= e;
    }
    return new Decimal(sign === '-' ? -mantissa : mantissa, scale);
  }

  /** Builds from an integer count of `10^-scale` units (e.g. a scaled book value). */
  static fromScaled(units: number | bigint, scale: number): Decimal {
    if (typeof units === 'number') {
      if (!Number.isSafeInteger(units)) throw new VenueError('invalid-argument', `unsafe scaled integer ${units}`);
      return new Decimal(BigInt(units), scale);
    }
    return new Decimal(units, scale);
  }

  isZero(): boolean {
    return this.mantissa === 0n;
  }
  isNegative(): boolean {
    return this.mantissa < 0n;
  }
  isPositive(): boolean {
    return this.mantissa > 0n;
  }

  /** -1, 0 or 1. */
  cmp(other: Decimal | string): number {
    const o = Decimal.from(other);
    const [a, b] = align(this, o);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  eq(other: Decimal | string): boolean {
    return this.cmp(other) === 0;
  }
  lt(other: Decimal | string): boolean {
    return this.cmp(other) < 0;
  }
  lte(other: Decimal | string): boolean {
    return this.cmp(other) <= 0;
  }
  gt(other: Decimal | string): boolean {
    return this.cmp(other) > 0;
  }
  gte(other: Decimal | string): boolean {
    return this.cmp(other) >= 0;
  }

  add(other: Decimal | string): Decimal {
    const o = Decimal.from(other);
    const [a, b, scale] = align(this, o);
    return new Decimal(a + b, scale);
  }
  sub(other: Decimal | string): Decimal {
    const o = Decimal.from(other);
    const [a, b, scale] = align(this, o);
    return new Decimal(a - b, scale);
  }
  mul(other: Decimal | string): Decimal {
    const o = Decimal.from(other);
    return new Decimal(this.mantissa * o.mantissa, this.scale + o.scale);
  }
  neg(): Decimal {
    return new Decimal(-this.mantissa, this.scale);
  }
  abs(): Decimal {
    return this.mantissa < 0n ? this.neg() : this;
  }

  /** Division to `scale` decimals with the given rounding (default half-even). */
  div(other: Decimal | string, scale: number, rounding: Rounding = 'half-even'): Decimal {
    const o = Decimal.from(other);
    if (o.mantissa === 0n) throw new VenueError('invalid-argument', 'division by zero');
    // result = (a / 10^sa) / (b / 10^sb) at `scale` decimals = a * 10^(scale + sb - sa) / b
    const shift = scale + o.scale - this.scale;
    let num = this.mantissa;
    let den = o.mantissa;
    if (shift >= 0) num *= pow10(shift);
    else den *= pow10(-shift);
    return new Decimal(divRound(num, den, rounding), scale);
  }

  /** Rescales to exactly `scale` decimals, rounding if digits are dropped. */
  toScale(scale: number, rounding: Rounding = 'half-even'): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.mantissa * pow10(scale - this.scale), scale);
    return new Decimal(divRound(this.mantissa, pow10(this.scale - scale), rounding), scale);
  }

  /** True when this is an exact integer multiple of `step` (tick size, step size). */
  isMultipleOf(step: Decimal | string): boolean {
    const s = Decimal.from(step);
    if (s.mantissa === 0n) return true;
    const [a, b] = align(this, s);
    return a % b === 0n;
  }

  /** Rounds to a multiple of `step` (e.g. tick size) with the given rounding (default down = toward zero). */
  quantize(step: Decimal | string, rounding: Rounding = 'down'): Decimal {
    const s = Decimal.from(step);
    if (s.mantissa === 0n) return this;
    const [a, b, scale] = align(this, s);
    return new Decimal(divRound(a, b, rounding) * b, scale);
  }

  /** The same value with trailing fractional zeros removed (`1.500` → `1.5`). */
  normalize(): Decimal {
    if (this.scale === 0 || this.mantissa === 0n) return this.mantissa === 0n ? Decimal.ZERO : this;
    let m = this.mantissa;
    let s = this.scale;
    while (s > 0 && m % 10n === 0n) {
      m /= 10n;
      s--;
    }
    return new Decimal(m, s);
  }

  /** The value as an integer count of `10^-scale` units, exact or throwing. */
  toScaledBigInt(scale: number): bigint {
    if (scale >= this.scale) return this.mantissa * pow10(scale - this.scale);
    const d = pow10(this.scale - scale);
    if (this.mantissa % d !== 0n) throw new VenueError('invalid-argument', `${this.toString()} has more than ${scale} decimals`);
    return this.mantissa / d;
  }

  /** Plain decimal notation, never exponent notation; keeps the scale. */
  toString(): string {
    const neg = this.mantissa < 0n;
    const digits = (neg ? -this.mantissa : this.mantissa).toString();
    if (this.scale === 0) return neg ? '-' + digits : digits;
    const padded = digits.padStart(this.scale + 1, '0');
    const cut = padded.length - this.scale;
    return (neg ? '-' : '') + padded.slice(0, cut) + '.' + padded.slice(cut);
  }

  toJSON(): string {
    return this.toString();
  }

  /** An explicit, lossy float view for charts and statistics. Never use it for money arithmetic. */
  toNumber(): number {
    return Number(this.toString());
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Decimal(${this.toString()})`;
  }
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.mantissa, b.mantissa, a.scale];
  if (a.scale > b.scale) return [a.mantissa, b.mantissa * pow10(a.scale - b.scale), a.scale];
  return [a.mantissa * pow10(b.scale - a.scale), b.mantissa, b.scale];
}

function divRound(num: bigint, den: bigint, rounding: Rounding): bigint {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den; // truncates toward zero
  const r = num % den;
  if (r === 0n) return q;
  const positive = num > 0n;
  switch (rounding) {
    case 'down':
      return q;
    case 'up':
      return positive ? q + 1n : q - 1n;
    case 'floor':
      return positive ? q : q - 1n;
    case 'ceil':
      return positive ? q + 1n : q;
    case 'half-up':
    case 'half-even': {
      const twice = (r < 0n ? -r : r) * 2n;
      const away = positive ? q + 1n : q - 1n;
      if (twice > den) return away;
      if (twice < den) return q;
      if (rounding === 'half-up') return away;
      return q % 2n === 0n ? q : away;
    }
  }
}

/** Number of decimals in a step written as a decimal string (`'0.0100'` → 2, `'5'` → 0, `'1e-8'` → 8). */
export function decimalsOf(step: string | Decimal): number {
  return Decimal.from(step).normalize().scale;
}

/**
 * Parses a venue decimal string into an integer count of `10^-scale` units held in a JS number, digit by
 * digit (never through a float). Returns NaN when the string has a non-zero digit beyond `scale`, is not a
 * plain decimal, or does not fit in 2^53 − 1; callers then widen the scale or fall back to bigint.
 */
export function parseScaled(s: string, scale: number): number {
  const len = s.length;
  let i = 0;
  let neg = false;
  if (len === 0) return NaN;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */) {
    neg = true;
    i = 1;
  } else if (c === 43 /* + */) i = 1;
  let v = 0;
  let frac = -1; // -1: integer part
  let digits = 0;
  for (; i < len; i++) {
    c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (frac !== -1) return NaN;
      frac = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return NaN;
    digits++;
    if (frac !== -1) {
      if (frac >= scale) {
        if (d !== 0) return NaN;
        continue;
      }
      frac++;
    }
    v = v * 10 + d;
  }
  if (digits === 0) return NaN;
  if (frac === -1) frac = 0;
  for (; frac < scale; frac++) v *= 10;
  if (v > Number.MAX_SAFE_INTEGER) return NaN;
  return neg ? -v : v;
}

/** Formats a scaled integer back to a plain decimal string with exactly `scale` decimals. */
export function formatScaled(units: number | bigint, scale: number): string {
  return Decimal.fromScaled(units, scale).toString();
}
