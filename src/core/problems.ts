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
