/**
 * Non-fatal oddities a pure parser meets in a venue payload — an enum value it does not know, a non-essential
 * field it cannot read, a record it must leave out — and how they travel: carried on the parsed result (or handed
 * to a sink) so the client reports each as a `problem` event (`VenueError` `decode` naming the field, the raw value
 * and the venue) while the rest of the payload stands. Parsers stay pure: they never emit.
 */
import { VenueError } from './errors.js';
import { describe } from './json.js';
import type { VenueId } from './model.js';

/** One oddity in one payload: what the venue sent and what the parser did with it. */
export interface DecodeProblem {
  readonly venue: VenueId;
  /** The field as the venue names it, with its path (`o.X`, `data[0].ordType`, `result.list[2].execQty`). */
  readonly field: string;
  /** The raw value, described (`"NEW_ADL"`, `number 0`, `undefined`). */
  readonly value: string;
  /** What became of it: `passed through as new`, `left out`, `no fill`, `trade refused`. */
  readonly outcome: string;
}

/** Where a parser hands problems when its result has no room for them (a list of trades). */
export type ProblemSink = (problem: DecodeProblem) => void;

export function decodeProblem(venue: VenueId, field: string, raw: unknown, outcome: string): DecodeProblem {
  return { venue, field, value: describe(raw), outcome };
}

/** `read()`, or undefined when it fails with a `decode` error (any other error is thrown). */
export function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (VenueError.is(err, 'decode')) return undefined;
    throw err;
  }
}

/** A part of a payload (`field`: a row, an event) refused as a whole by `error`, which names the field inside it. */
export function refusedPart(venue: VenueId, field: string, error: VenueError, outcome: string): DecodeProblem {
  return { venue, field, value: error.message, outcome };
}

/**
 * Each row read by `read`. A row refused with a `decode` error is left out and handed to `problems` when a sink is
 * given (the other rows stand); without a sink the error is thrown.
 */
export function readRows<T>(venue: VenueId, rows: readonly unknown[], read: (row: unknown, i: number) => T, problems: ProblemSink | undefined, fieldOf: (i: number) => string, outcome: string): T[] {
  const out: T[] = [];
  rows.forEach((row, i) => {
    if (problems === undefined) return void out.push(read(row, i));
    try {
      out.push(read(row, i));
    } catch (err) {
      if (!VenueError.is(err, 'decode')) throw err;
      problems(refusedPart(venue, fieldOf(i), err, outcome));
    }
  });
  return out;
}

/** The `decode` error a problem is reported as (on `ex.events` `problem`). */
export function problemError(p: DecodeProblem): VenueError {
  return new VenueError('decode', `field ${p.field}: ${p.value}, ${p.outcome}`, { venue: p.venue });
}

/** The problems met while one payload is read; parsers attach them to what they return. */
export class ProblemLog {
  readonly problems: DecodeProblem[] = [];
  readonly venue: VenueId;

  constructor(venue: VenueId) {
    this.venue = venue;
  }

  note(field: string, raw: unknown, outcome: string): void {
    this.problems.push(decodeProblem(this.venue, field, raw, outcome));
  }

  /**
   * Reads a non-essential field: a `decode` failure of `read` is noted (`field` left out) and gives undefined;
   * any other error is thrown.
   */
  lenient<T>(field: string, raw: unknown, read: () => T): T | undefined {
    try {
      return read();
    } catch (err) {
      if (!VenueError.is(err, 'decode')) throw err;
      this.note(field, raw, 'left out');
      return undefined;
    }
  }

  /** `{ problems }` to spread onto a result when there are any, else nothing. */
  attached(): { readonly problems?: readonly DecodeProblem[] } {
    return this.problems.length === 0 ? {} : { problems: [...this.problems] };
  }
}
