/**
 * Run-time checks of caller arguments, for every public entry point (plain JavaScript callers and values read
 * from config files bypass the types). Each check returns the value, typed, or throws `VenueError`
 * `invalid-argument` naming the field and what it allows; nothing is ever mapped to a default. Venue-neutral:
 * `argumentChecks({ venue })` names the venue in its errors, `check` names none.
 */
import { Decimal } from './decimal.js';
import { VenueError } from './errors.js';
import type { VenueErrorDetails } from './errors.js';

/** An inclusive integer range; both ends default to the safe-integer bounds. */
export interface IntegerRange {
  readonly min?: number;
  readonly max?: number;
}

/** A canonical decimal: optional minus, no leading zeros, digits on both sides of a point, no exponent or spaces. */
const CANONICAL_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** Longest a timer can wait: `setTimeout` fires at once beyond 2^31 − 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

export interface ArgumentChecks {
  /** Throws `invalid-argument`: "`field` `problem`". */
  fail(field: string, problem: string): never;
  /** One of `allowed` (compared exactly: `'BUY'` is not `'buy'`). */
  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T;
  optionalOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T | undefined;
  /** The table's own entry for `value`: an exhaustive lookup that never falls back to a default. */
  lookup<T>(field: string, value: unknown, table: Readonly<Record<string, T>>): T;
  /**
   * A `Decimal`, a canonical decimal string (`'0.010'`, `'-3'`; not `' 0.01 '`, `'1e-8'`, `'+1'`, `'.5'`, `'NaN'`)
   * or a safe-integer number (`0.1` as a JS number is already inexact). `positive` also refuses zero and below.
   */
  decimal(field: string, value: unknown, rule?: { readonly positive?: boolean }): Decimal;
  optionalDecimal(field: string, value: unknown, rule?: { readonly positive?: boolean }): Decimal | undefined;
  /** A safe integer (a JS number, not a string) within `range`. */
  integer(field: string, value: unknown, range?: IntegerRange): number;
  optionalInteger(field: string, value: unknown, range?: IntegerRange): number | undefined;
  /** A finite JS number within `range` (for ratios such as a backoff factor; never for money). */
  number(field: string, value: unknown, range: { readonly min: number; readonly max: number }): number;
  boolean(field: string, value: unknown): boolean;
  optionalBoolean(field: string, value: unknown): boolean | undefined;
  /** A non-empty string, matching `rule.pattern` when given (`rule.expected` describes it). `secret` keeps it out of the message. */
  string(field: string, value: unknown, rule?: { readonly pattern?: RegExp; readonly expected?: string; readonly secret?: boolean }): string;
  optionalString(field: string, value: unknown, rule?: { readonly pattern?: RegExp; readonly expected?: string; readonly secret?: boolean }): string | undefined;
  /** An absolute URL whose scheme is one of `schemes` (`['https', 'http']`). */
  url(field: string, value: unknown, schemes: readonly string[]): string;
  /** An object (not null, not an array) whose fields the caller checks next; other fields are left alone. */
  object(field: string, value: unknown): Readonly<Record<string, unknown>>;
  /** An `AbortSignal`, or undefined. */
  signal(field: string, value: unknown): AbortSignal | undefined;
  /**
   * A plain object holding only `keys` (undefined gives `{}`): a typo such as `{ postonly: true }` is refused
   * naming the key and the allowed ones. Values are not checked here.
   */
  options(field: string, value: unknown, keys: readonly string[]): Readonly<Record<string, unknown>>;
  /** An array whose items each pass `item` (named `field[i]`), at least `min` long, without repeats when `unique`. */
  list<T>(field: string, value: unknown, item: (field: string, value: unknown) => T, rule?: { readonly min?: number; readonly unique?: boolean }): T[];
}

/** The checks, with `details` (the venue) on every error they throw. */
export function argumentChecks(details: Pick<VenueErrorDetails, 'venue' | 'operation'> = {}): ArgumentChecks {
  const fail = (field: string, problem: string): never => {
    throw new VenueError('invalid-argument', `${field} ${problem}`, details);
  };
  const optional =
    <A extends unknown[], T>(check: (field: string, value: unknown, ...rest: A) => T) =>
    (field: string, value: unknown, ...rest: A): T | undefined =>
      value === undefined ? undefined : check(field, value, ...rest);

  const oneOf = <T extends string>(field: string, value: unknown, allowed: readonly T[]): T => {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return fail(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; got ${describe(value)}`);
  };
  const decimal = (field: string, value: unknown, rule: { readonly positive?: boolean } = {}): Decimal => {
    let d: Decimal | undefined;
    if (value instanceof Decimal) d = value;
    else if (typeof value === 'string' && CANONICAL_DECIMAL.test(value)) d = Decimal.from(value);
    else if (typeof value === 'number' && Number.isSafeInteger(value)) d = Decimal.from(value);
    if (d === undefined) {
      const why = typeof value === 'number' && Number.isFinite(value) ? ' (a JS number that is not a safe integer is inexact: pass a string)' : '';
      return fail(field, `must be a decimal string such as "0.01", a Decimal or a safe integer; got ${describe(value)}${why}`);
    }
    if (rule.positive === true && !d.isPositive()) return fail(field, `must be positive; got ${d.toString()}`);
    return d;
  };
  const integer = (field: string, value: unknown, range: IntegerRange = {}): number => {
    const min = range.min ?? Number.MIN_SAFE_INTEGER;
    const max = range.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value;
    return fail(field, `must be ${rangeText(min, max)}; got ${describe(value)}`);
  };
  const boolean = (field: string, value: unknown): boolean => (typeof value === 'boolean' ? value : fail(field, `must be true or false; got ${describe(value)}`));
  const string = (field: string, value: unknown, rule: { readonly pattern?: RegExp; readonly expected?: string; readonly secret?: boolean } = {}): string => {
    const shown = rule.secret === true ? typeName(value) : describe(value);
    const expected = rule.expected ?? (rule.pattern === undefined ? 'a non-empty string' : `a string matching ${String(rule.pattern)}`);
    if (typeof value !== 'string' || value === '' || (rule.pattern !== undefined && !rule.pattern.test(value))) return fail(field, `must be ${expected}; got ${shown}`);
    return value;
  };

  return {
    fail,
    oneOf,
    optionalOneOf: optional(oneOf) as ArgumentChecks['optionalOneOf'],
    lookup: <T>(field: string, value: unknown, table: Readonly<Record<string, T>>): T => {
      if (typeof value === 'string' && Object.hasOwn(table, value)) return table[value] as T;
      return fail(field, `must be one of ${Object.keys(table).map((k) => JSON.stringify(k)).join(', ')}; got ${describe(value)}`);
    },
    decimal,
    optionalDecimal: optional(decimal),
    integer,
    optionalInteger: optional(integer),
    number: (field, value, range) => {
      if (typeof value === 'number' && Number.isFinite(value) && value >= range.min && value <= range.max) return value;
      return fail(field, `must be a number from ${range.min} to ${range.max}; got ${describe(value)}`);
    },
    boolean,
    optionalBoolean: optional(boolean),
    string,
    optionalString: optional(string),
    url: (field, value, schemes) => {
      const text = string(field, value, { expected: `a ${schemes.join(' or ')} URL` });
      let scheme: string;
      try {
        scheme = new URL(text).protocol.replace(/:$/, '');
      } catch {
        return fail(field, `must be a ${schemes.join(' or ')} URL; got ${describe(value)}`);
      }
      return schemes.includes(scheme) ? text : fail(field, `must be a ${schemes.join(' or ')} URL; got ${describe(value)}`);
    },
    object: (field, value) => {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      return fail(field, `must be an object; got ${describe(value)}`);
    },
    signal: (field, value) => {
      if (value === undefined || isAbortSignal(value)) return value;
      return fail(field, `must be an AbortSignal; got ${describe(value)}`);
    },
    options: (field, value, keys) => {
      if (value === undefined) return {};
      if (!isPlainObject(value)) return fail(field, `must be an options object; got ${describe(value)}`);
      for (const key of Object.keys(value)) {
        if (!keys.includes(key)) fail(field, `has an unknown option ${JSON.stringify(key)} (allowed: ${keys.length === 0 ? 'none' : keys.join(', ')})`);
      }
      return value;
    },
    list: (field, value, item, rule = {}) => {
      const min = rule.min ?? 0;
      if (!Array.isArray(value)) return fail(field, `must be an array; got ${describe(value)}`);
      if (value.length < min) fail(field, `must hold at least ${min} item${min === 1 ? '' : 's'}; got none`);
      const out = value.map((v, i) => item(`${field}[${i}]`, v));
      if (rule.unique === true && new Set(out).size !== out.length) fail(field, `must not repeat an item; got ${describe(value)}`);
      return out;
    },
  };
}

/** Checks without a venue in their errors (the core's own entry points, the risk-check constructors). */
export const check: ArgumentChecks = argumentChecks();

/**
 * The option names of an options type, spelled out once as `{ name: true }` so the compiler notices a name
 * added to the type and missing here (an unknown name is refused at run time).
 */
export function keysOf<T>(keys: { readonly [K in keyof Required<T>]: true }): readonly (keyof T & string)[] {
  return Object.keys(keys) as (keyof T & string)[];
}

function rangeText(min: number, max: number): string {
  if (min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER) return 'a safe integer';
  if (max === Number.MAX_SAFE_INTEGER) return `an integer ≥ ${min}`;
  if (min === Number.MIN_SAFE_INTEGER) return `an integer ≤ ${max}`;
  return `an integer from ${min} to ${max}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  const v = value as { aborted?: unknown; addEventListener?: unknown; removeEventListener?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.aborted === 'boolean' && typeof v.addEventListener === 'function' && typeof v.removeEventListener === 'function';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Decimal) return 'a Decimal';
  const t = typeof value;
  if (t === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' && name !== '' ? `a ${name}` : 'an object';
  }
  return t === 'undefined' ? 'undefined' : `a ${t}`;
}

/** A value as an error message shows it: strings quoted and cut, numbers as JS prints them, objects by kind. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    default:
      return value instanceof Decimal ? `Decimal ${value.toString()}` : typeName(value);
  }
}
