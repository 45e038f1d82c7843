/** A small argv parser for the venuekit command: positionals, `--flag value`, `--flag=value`, `--bool`. */
import { VenueError } from '../core/errors.js';

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) {
      flags.set(a.slice(2, eq), a.slice(eq + 1));
      continue;
    }
    const name = a.slice(2);
    const next = argv[i + 1];
    if (booleanFlags.includes(name) || next === undefined || next.startsWith('--')) flags.set(name, true);
    else {
      flags.set(name, next);
      i++;
    }
  }
  return { positionals, flags };
}

/** A string flag, or the default; throws `invalid-argument` when given without a value. */
export function flag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new VenueError('invalid-argument', `--${name} needs a value`);
  return v ?? fallback;
}

/** An integer flag, or the default. */
export function intFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = flag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new VenueError('invalid-argument', `--${name} must be an integer, got ${v}`);
  return n;
}
