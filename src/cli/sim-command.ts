/**
 * `venuekit sim`: runs the embedded exchange simulator on 127.0.0.1, prints its endpoints as one JSON line
 * on stdout, and closes cleanly on SIGTERM / SIGINT (exit code 0).
 */
import { VenueError } from '../core/errors.js';
import { startSimulator, type SimulatorOptions, type SimVenue } from '../testing/index.js';

const USAGE = 'usage: venuekit sim [--seed N] [--port-base N] [--depth N] [--symbols N] [--venues binance,bybit,okx]';
const VENUES: readonly SimVenue[] = ['binance', 'bybit', 'okx'];

/** Parses `--name N` / `--name=N` integer flags and `--venues a,b`; throws `invalid-argument` on anything else. */
export function parseSimArgs(argv: readonly string[]): SimulatorOptions {
  const out: { seed?: number; portBase?: number; depth?: number; symbols?: number; venues?: SimVenue[] } = {};
  const names: Record<string, 'seed' | 'portBase' | 'depth' | 'symbols'> = { '--seed': 'seed', '--port-base': 'portBase', '--depth': 'depth', '--symbols': 'symbols' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag = '', inline] = arg.split('=', 2);
    if (flag === '--venues') {
      const list = (inline ?? argv[++i] ?? '').split(',').filter((v) => v !== '');
      if (list.length === 0 || !list.every((v) => (VENUES as readonly string[]).includes(v))) throw new VenueError('invalid-argument', `--venues needs a comma-separated list of ${VENUES.join(', ')}; ${USAGE}`);
      out.venues = list as SimVenue[];
      continue;
    }
    const key = names[flag];
    if (key === undefined) throw new VenueError('invalid-argument', `unknown option ${arg}; ${USAGE}`);
    const text = inline ?? argv[++i];
    if (text === undefined || !/^\d+$/.test(text)) throw new VenueError('invalid-argument', `${flag} needs a non-negative integer; ${USAGE}`);
    out[key] = Number(text);
  }
  return out;
}

/** Runs the simulator until SIGTERM or SIGINT. Resolves after a clean close. */
export async function simCommand(argv: string[]): Promise<void> {
  const sim = await startSimulator(parseSimArgs(argv));
  process.stdout.write(`${JSON.stringify(sim.endpoints)}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await sim.close();
}
