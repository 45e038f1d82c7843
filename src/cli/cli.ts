/**
 * The `venuekit` command line: dispatches to sim, watch, normalize and demo; `--help` / `-h` on every command and
 * at the top, `--version`. Exit status: 0 ok, 1 runtime failure, 2 usage error. Errors are one line on stderr;
 * a reader that closes stdout (`| head`) ends the command quietly.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VenueError } from '../core/errors.js';
import { isUsageError, parseCommandLine, usageOf, UsageError, type CommandLine, type CommandSpec } from './args.js';
import { DEMO_SPEC, runDemo } from './demo-command.js';
import type { CliIo } from './io.js';
import { NORMALIZE_SPEC, runNormalize } from './normalize-command.js';
import { runSim, SIM_SPEC } from './sim-command.js';
import { runWatch, WATCH_SPEC } from './watch-command.js';

interface CliCommand {
  readonly spec: CommandSpec;
  /** Runs the command; resolves to its exit status. */
  run(line: CommandLine, io: CliIo): Promise<number>;
}

const COMMANDS: readonly CliCommand[] = [
  { spec: SIM_SPEC, run: async (line, io) => (await runSim(line, io), 0) },
  { spec: WATCH_SPEC, run: async (line, io) => (await runWatch(line, io), 0) },
  { spec: NORMALIZE_SPEC, run: async (line, io) => ((await runNormalize(line, io)) > 0 ? 1 : 0) },
  { spec: DEMO_SPEC, run: async (line, io) => (await runDemo(line, io), 0) },
];

const USAGE = [
  'usage: venuekit <command> [options]',
  '',
  'commands:',
  ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(11)}${c.spec.summary}`),
  '',
  'options:',
  '  -h, --help   show this help (or a command\'s: venuekit <command> --help) and exit',
  '  --version    print the version and exit',
  '',
  'Exit status: 0 ok, 1 runtime failure, 2 usage error.',
].join('\n');

/** The package's version, read from its package.json at run time (from `dist/` or a clone run through tsx). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'venuekit' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here: look one folder up.
    }
    const up = dirname(dir);
    if (up === dir) throw new VenueError('not-found', 'cannot find the venuekit package.json to read the version from');
    dir = up;
  }
}

/** Runs the CLI on `argv` (without `node` and the script); resolves to the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  const command = COMMANDS.find((c) => c.spec.name === first);
  try {
    if (command === undefined) return top(first, rest, io);
    const line = parseCommandLine(command.spec, rest);
    if (line.help) {
      io.out.write(usageOf(command.spec) + '\n');
      return 0;
    }
    const status = await command.run(line, io);
    const failure = io.outError();
    if (failure !== undefined) throw failure;
    return status;
  } catch (err) {
    const name = command?.spec.name;
    const usage = isUsageError(err);
    const message = err instanceof UsageError ? err.message : VenueError.is(err) ? err.message : err instanceof Error ? err.message : String(err);
    const hint = usage ? `; see venuekit ${name === undefined ? '' : `${name} `}--help` : '';
    io.err.write(`venuekit${name === undefined ? '' : ` ${name}`}: ${message.replaceAll('\n', ' ')}${hint}\n`);
    return usage ? 2 : 1;
  }
}

/** No command: `--help`, `help [command]`, `--version`, or a usage error. */
function top(first: string | undefined, rest: readonly string[], io: CliIo): number {
  switch (first) {
    case '--help':
    case '-h':
    case 'help': {
      const topic = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.spec.name === rest[0]);
      if (rest[0] !== undefined && topic === undefined) throw new UsageError(undefined, `no command ${JSON.stringify(rest[0])}: use ${COMMANDS.map((c) => c.spec.name).join(', ')}`);
      io.out.write((topic === undefined ? USAGE : usageOf(topic.spec)) + '\n');
      return 0;
    }
    case '--version':
      if (rest.length > 0) throw new UsageError(undefined, `unexpected argument ${JSON.stringify(rest[0])} after --version`);
      io.out.write(packageVersion() + '\n');
      return 0;
    case undefined:
      io.err.write(USAGE + '\n');
      return 2;
    default:
      throw new UsageError(undefined, first.startsWith('-') ? `unknown option ${first}` : `unknown command ${JSON.stringify(first)}: use ${COMMANDS.map((c) => c.spec.name).join(', ')}`);
  }
}

