/**
 * Checked reads of fields from decoded Binance payloads: each failure is a `decode` VenueError that
 * names the field path (`symbols[3].filters.PRICE_FILTER.tickSize`); the `soft*` reads of non-essential fields note a
 * malformed value on a `ProblemLog` and read it as absent. Used by the parsers of this folder.
 */
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import { describe } from '../../core/json.js';
import type { ProblemLog } from '../../core/problems.js';
import { VENUE } from './config.js';

/** A decoded JSON object whose fields are still unchecked. */
export type Fields = Readonly<Record<string, unknown>>;

/** Throws the decode error for `path`. */
export function fail(path: string, expected: string, got: unknown): never {
  throw new VenueError('decode', `field ${path}: expected ${expected}, got ${describe(got)}`, { venue: VENUE });
}

/** `value` as an object (not null, not an array). */
export function asObject(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Fields;
}

/** `value` as an array. */
export function asArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

/** A non-empty string field. */
export function readString(o: Fields, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') fail(`${path}${key}`, 'a non-empty string', v);
  return v;
}

/** A string field that may be absent (undefined or null). */
export function readOptionalString(o: Fields, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`${path}${key}`, 'a string', v);
  return v;
}

/** A boolean field. */
export function readBoolean(o: Fields, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${path}${key}`, 'a boolean', v);
  return v;
}

/** An integer field that fits a JS number exactly (timestamps, counts). */
export function readInteger(o: Fields, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(`${path}${key}`, 'an integer', v);
  return v;
}

/** An integer field that may be absent. */
export function readOptionalInteger(o: Fields, key: string, path: string): number | undefined {
  return o[key] === undefined ? undefined : readInteger(o, key, path);
}

/** A decimal string, exact. */
export function decimalOf(v: unknown, path: string): Decimal {
  const d = typeof v === 'string' ? Decimal.tryParse(v) : undefined;
  if (d === undefined) fail(path, 'a decimal string', v);
  return d;
}

/** A decimal-string field, exact. */
export function readDecimal(o: Fields, key: string, path: string): Decimal {
  return decimalOf(o[key], `${path}${key}`);
}

/** A decimal-string field that may be absent (undefined or null). */
export function readOptionalDecimal(o: Fields, key: string, path: string): Decimal | undefined {
  const v = o[key];
  return v === undefined || v === null ? undefined : decimalOf(v, `${path}${key}`);
}

/**
 * A limit value where Binance writes `"0"` for "no limit" (filters.md: `minPrice`/`maxPrice` 0 disable
 * the rule); undefined when absent or zero.
 */
export function readLimit(o: Fields, key: string, path: string): Decimal | undefined {
  const d = readOptionalDecimal(o, key, path);
  return d === undefined || !d.isPositive() ? undefined : d;
}

// ---------------------------------------------------------------- non-essential fields

/** An enum-like string field that is not essential: a non-string is noted and read as absent. */
export function softString(o: Fields, key: string, path: string, log: ProblemLog): string | undefined {
  return log.lenient(`${path}${key}`, o[key], () => readOptionalString(o, key, path));
}

/** A non-essential decimal (a price, an average, a fee): malformed is noted and read as absent. */
export function softDecimal(o: Fields, key: string, path: string, log: ProblemLog): Decimal | undefined {
  return log.lenient(`${path}${key}`, o[key], () => readOptionalDecimal(o, key, path));
}

/** A non-essential flag: anything but a boolean is noted and read as absent. */
export function softBoolean(o: Fields, key: string, path: string, log: ProblemLog): boolean | undefined {
  if (o[key] === undefined || o[key] === null) return undefined;
  return log.lenient(`${path}${key}`, o[key], () => readBoolean(o, key, path));
}

/** The first of `keys` holding a positive integer time; a malformed one is noted and skipped; else `fallback`. */
export function timeOf(o: Fields, keys: readonly string[], path: string, fallback: number, log: ProblemLog): number {
  for (const key of keys) {
    const t = log.lenient(`${path}${key}`, o[key], () => readOptionalInteger(o, key, path));
    if (t !== undefined && t > 0) return t;
  }
  return fallback;
}
