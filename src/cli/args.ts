/**
 * Command lines of the venuekit CLI: one declarative option table per command, parsed by Node's
 * `util.parseArgs` in strict mode; usage texts built from the same tables; typed readers for option values.
 * A malformed command line is a `UsageError` (exit status 2) naming the offending option or argument.
 */
import { parseArgs } from 'node:util';
import { redact, VenueError } from '../core/errors.js';

/** One option of a command: its value type, a one-letter alias, the value's placeholder and what it does. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder of the value in the usage text (`N`, `FILE`); string options only. */
  readonly value?: string;
  readonly help: string;
}

/** A command's command line: what it is called, its positional arguments and its options. */
export interface CommandSpec {
  /** `watch`, `normalize`...: the word after `venuekit`. */
  readonly name: string;
  /** One line saying what the command does (the top-level usage lists it). */
  readonly summary: string;
  /** Positional arguments as the usage shows them (`<KIND>`, `[FILE]`); `[...]` ones are optional. */
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Further lines of the command's help (allowed values, examples). */
  readonly notes?: readonly string[];
}

export interface CommandLine {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** `--help` / `-h` was given: print the usage and do nothing else. */
  readonly help: boolean;
}

/** A malformed command line (exit status 2). A `VenueError` `invalid-argument`, so library callers see one error class. */
export class UsageError extends VenueError {
  /** The command whose command line it was (`watch`), or undefined at the top level. */
  readonly command: string | undefined;

  constructor(command: string | undefined, message: string) {
    super('invalid-argument', message);
    this.name = 'UsageError';
    this.command = command;
    // VenueError prefixes its code; a usage error reads as the plain sentence (still redacted).
    this.message = redact(message);
  }
}

/** Whether `err` is a usage error: a `UsageError`, or any `invalid-argument` (a value the user typed was refused). */
export function isUsageError(err: unknown): boolean {
  return err instanceof UsageError || VenueError.is(err, 'invalid-argument');
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help and exit' };

/** The spec's options plus `--help`/`-h`, which every command takes. */
function optionsOf(spec: CommandSpec): Record<string, OptionSpec> {
  return { ...spec.options, help: HELP };
}

/** The option table as `util.parseArgs` takes it. */
function parserOptions(options: Record<string, OptionSpec>): Record<string, { type: 'string' | 'boolean'; short?: string }> {
  return Object.fromEntries(Object.entries(options).map(([name, o]) => [name, o.short === undefined ? { type: o.type } : { type: o.type, short: o.short }]));
}

function requiredCount(spec: CommandSpec): number {
  return spec.positionals.filter((p) => !p.startsWith('[')).length;
}

/**
 * Parses `argv` (what follows the command name) against `spec`: unknown options, options missing their value,
 * values given to boolean options, and extra or missing positional arguments are a `UsageError` naming them.
 * `--help` anywhere wins over every other problem.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): CommandLine {
  const options = optionsOf(spec);
  const config = parserOptions(options);
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    const strict = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: true });
    parsed = { values: { ...strict.values }, positionals: strict.positionals };
  } catch (err) {
    if (asksForHelp(argv)) return { positionals: [], values: {}, help: true };
    throw new UsageError(spec.name, explain(spec, argv, err));
  }
  if (parsed.values['help'] === true) return { positionals: parsed.positionals, values: parsed.values, help: true };
  const max = spec.positionals.length;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals[max] as string;
    throw new UsageError(spec.name, `unexpected argument ${JSON.stringify(extra)}${max === 0 ? ` (${spec.name} takes no arguments)` : ` (${spec.name} takes ${spec.positionals.join(' ')})`}`);
  }
  const min = requiredCount(spec);
  if (parsed.positionals.length < min) {
    throw new UsageError(spec.name, `missing ${spec.positionals.slice(parsed.positionals.length, min).join(' ')}`);
  }
  return { positionals: parsed.positionals, values: parsed.values, help: false };
}

/** `--help` or `-h` before a `--`. */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** One clear sentence for what strict parsing refused, found again with a lenient token pass. */
function explain(spec: CommandSpec, argv: readonly string[], err: unknown): string {
  const options = optionsOf(spec);
  const { tokens } = parseArgs({ args: [...argv], options: parserOptions(options), strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const known = options[t.name];
    if (known === undefined) {
      const near = closest(t.name, Object.keys(options));
      return `unknown option ${t.rawName}${near === undefined ? '' : ` (did you mean --${near}?)`}`;
    }
    if (known.type === 'boolean' && t.value !== undefined) return `${t.rawName} takes no value (got ${JSON.stringify(t.value)})`;
    if (known.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-')))) {
      return `${t.rawName} needs a value${t.value === undefined ? '' : ` (write ${t.rawName}=${t.value} for a value starting with "-")`}`;
    }
  }
  const first = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
  return first;
}

/** The option name within edit distance 2 of `typed`, if exactly one is that close. */
function closest(typed: string, names: readonly string[]): string | undefined {
  const near = names.filter((n) => editDistance(typed, n) <= 2);
  return near.length === 1 ? near[0] : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const swap = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] ? 1 : Infinity;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1), (prev[j - 2] ?? Infinity) + swap);
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/** The usage text of a command: synopsis, summary, options with their help, notes. */
export function usageOf(spec: CommandSpec): string {
  const options = optionsOf(spec);
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return [flag, o.help] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    `usage: venuekit ${spec.name} [options]${spec.positionals.length > 0 ? ' ' + spec.positionals.join(' ') : ''}`,
    '',
    spec.summary,
    '',
    'options:',
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`),
    ...(spec.notes === undefined || spec.notes.length === 0 ? [] : ['', ...spec.notes]),
  ].join('\n');
}

/** A string option's value, or `fallback`. */
export function stringOption(line: CommandLine, name: string): string | undefined;
export function stringOption(line: CommandLine, name: string, fallback: string): string;
export function stringOption(line: CommandLine, name: string, fallback?: string): string | undefined {
  const v = line.values[name];
  return typeof v === 'string' ? v : fallback;
}

/** A boolean option: true when given. */
export function booleanOption(line: CommandLine, name: string): boolean {
  return line.values[name] === true;
}

/**
 * An integer option (decimal digits only) within `[min, max]`, or `fallback` when absent; anything else is a
 * `UsageError` naming the option and the allowed range.
 */
export function intOption(command: string, line: CommandLine, name: string, fallback: number, range: { min: number; max?: number }): number {
  const text = stringOption(line, name);
  if (text === undefined) return fallback;
  const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < range.min || n > max) {
    const allowed = range.max === undefined ? `an integer >= ${range.min}` : `an integer from ${range.min} to ${range.max}`;
    throw new UsageError(command, `--${name} must be ${allowed}, got ${JSON.stringify(text)}`);
  }
  return n;
}
