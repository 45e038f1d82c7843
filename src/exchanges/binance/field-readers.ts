/**
 * Checked reads of fields from decoded Binance payloads: each failure is a `decode` VenueError that
 * names the field path (`symbols[3].filters.PRICE_FILTER.tickSize`). Used only by parse.ts.
 */
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import { describe } from '../../core/json.js';
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
