/**
 * `venuekit sim`: runs the embedded exchange simulator on 127.0.0.1 for any set of venues, prints its
 * endpoints as one JSON line on stdout, and closes cleanly on SIGTERM / SIGINT (exit status 0). When it
 * cannot start (a port in use, a port it may not open) it says so on stderr and exits 1 at once.
 */
import { VenueError } from '../core/errors.js';
import { startSimulator, type SimulatorOptions, type SimVenue } from '../testing/index.js';
import { SIM_VENUES } from '../testing/sim/front-end.js';
import { intOption, parseCommandLine, stringOption, UsageError, type CommandLine, type CommandSpec } from './args.js';
import { cliIo, writeOut, type CliIo } from './io.js';

/** Ports a simulator takes from `--port-base`: control, Binance spot, Binance USD-M, Bybit, OKX. */
const PORTS_USED = 5;
const MAX_PORT_BASE = 65535 - (PORTS_USED - 1);

export const SIM_SPEC: CommandSpec = {
  name: 'sim',
  summary: 'Start a local exchange simulator (Binance, Bybit, OKX) and print its endpoints as one JSON line.',
  positionals: [],
  options: {
    venues: { type: 'string', value: 'LIST', help: `venues to serve, comma-separated: any of ${SIM_VENUES.join(', ')} (default all)` },
    'port-base': { type: 'string', value: 'N', help: `fixed ports: control on N, Binance spot N+1, USD-M N+2, Bybit N+3, OKX N+4 (1 to ${MAX_PORT_BASE}; default any free ports)` },
    seed: { type: 'string', value: 'N', help: 'random seed: the same seed gives the same books and trades (default 1)' },
    depth: { type: 'string', value: 'N', help: 'book depth per side, 1 to 5000 (default 1000)' },
    symbols: { type: 'string', value: 'N', help: 'instruments per group: the first N spot, perpetuals... (default all)' },
  },
  notes: ['Stops cleanly on SIGTERM or Ctrl-C. Point clients at it with `venuekit watch --endpoints <the line>`.'],
};

/** The simulator options a parsed `sim` command line asks for; a `UsageError` for any bad value. */
export function simOptionsOf(line: CommandLine): SimulatorOptions {
  const out: { seed?: number; portBase?: number; depth?: number; symbols?: number; venues?: SimVenue[] } = {};
  const venues = stringOption(line, 'venues');
  if (venues !== undefined) {
    const list = venues.split(',').map((v) => v.trim().toLowerCase());
    const bad = list.find((v) => !(SIM_VENUES as readonly string[]).includes(v));
    if (bad !== undefined || list.length === 0) throw new UsageError('sim', `--venues ${JSON.stringify(venues)}: give a comma-separated list of ${SIM_VENUES.join(', ')}${bad === undefined || bad === '' ? '' : ` (${JSON.stringify(bad)} is not one)`}`);
    out.venues = [...new Set(list)] as SimVenue[];
  }
  if (line.values['seed'] !== undefined) out.seed = intOption('sim', line, 'seed', 1, { min: 0, max: 0xffffffff });
  if (line.values['port-base'] !== undefined) out.portBase = intOption('sim', line, 'port-base', 0, { min: 1, max: MAX_PORT_BASE });
  if (line.values['depth'] !== undefined) out.depth = intOption('sim', line, 'depth', 1000, { min: 1, max: 5000 });
  if (line.values['symbols'] !== undefined) out.symbols = intOption('sim', line, 'symbols', 1, { min: 1 });
  return out;
}

/** `sim` options from raw arguments (tests and scripts); throws a `UsageError` (`invalid-argument`) for anything else. */
export function parseSimArgs(argv: readonly string[]): SimulatorOptions {
  return simOptionsOf(parseCommandLine(SIM_SPEC, argv));
}

/** Why the simulator could not start, in one sentence a user can act on. */
function startFailure(err: unknown, opts: SimulatorOptions): Error {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const where = e.port === undefined ? '' : ` ${e.address ?? '127.0.0.1'}:${e.port}`;
  const ports = opts.portBase === undefined ? '' : ` (--port-base ${opts.portBase} uses ports ${opts.portBase} to ${opts.portBase + PORTS_USED - 1})`;
  if (e.code === 'EADDRINUSE') return new VenueError('network', `cannot start the simulator: port${where} is already in use${ports}`);
  if (e.code === 'EACCES') return new VenueError('network', `cannot start the simulator: no permission to listen on port${where}${ports}`);
  if (VenueError.is(err)) return err;
  return new VenueError('network', `cannot start the simulator: ${e.message ?? String(err)}`, { cause: err });
}

/** Runs the simulator until SIGTERM or SIGINT. Resolves after a clean close. */
export async function runSim(line: CommandLine, io: CliIo): Promise<void> {
  const opts = simOptionsOf(line);
  let sim;
  try {
    sim = await startSimulator(opts);
  } catch (err) {
    throw startFailure(err, opts);
  }
  try {
    writeOut(io, `${JSON.stringify(sim.endpoints)}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        resolve();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
  } finally {
    await sim.close();
  }
}

/** `sim` as a library function: parses `argv` and runs until SIGTERM or SIGINT. */
export async function simCommand(argv: string[]): Promise<void> {
  await runSim(parseCommandLine(SIM_SPEC, argv), cliIo());
}
