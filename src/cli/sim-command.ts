/**
 * `venuekit sim`: runs the embedded exchange simulator on 127.0.0.1, prints its endpoints as one JSON line
 * on stdout, and closes cleanly on SIGTERM / SIGINT (exit code 0).
 */
import { VenueError } from '../core/errors.js';
import { startSimulator, type SimulatorOptions } from '../testing/index.js';

const USAGE = 'usage: venuekit sim [--seed N] [--port-base N] [--depth N] [--symbols N]';

/** Parses `--name N` / `--name=N` integer flags; throws `invalid-argument` on anything else. */
export function parseSimArgs(argv: readonly string[]): SimulatorOptions {
  const out: { seed?: number; portBase?: number; depth?: number; symbols?: number } = {};
  const names: Record<string, keyof typeof out> = { '--seed': 'seed', '--port-base': 'portBase', '--depth': 'depth', '--symbols': 'symbols' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag = '', inline] = arg.split('=', 2);
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
