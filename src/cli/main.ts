#!/usr/bin/env node
/** The `venuekit` command: dispatches to sim, watch, normalize and demo; errors print as one clear line. */
import { VenueError } from '../core/errors.js';
import { demoCommand } from './demo-command.js';
import { normalizeCommand } from './normalize-command.js';
import { simCommand } from './sim-command.js';
import { CLI_VENUES } from './venues.js';
import { watchCommand } from './watch-command.js';

const USAGE = `usage: venuekit <command>
  sim                                      start a local exchange simulator (Binance, Bybit, OKX); prints its endpoints as one JSON line
  watch <ticker|trades|book|candles> SYM   live market data (--exchange binance|bybit|okx --market M --json)
  normalize                                raw frames on stdin -> normalized JSON lines (--exchange binance|bybit|okx --market M)
  demo                                     a tour of the three venues on the embedded simulator (--duration S)
markets (--market): ${CLI_VENUES.map((v) => `${v.name} ${Object.keys(v.markets).join('|')}`).join('; ')}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'sim':
      await simCommand(rest);
      return 0;
    case 'watch':
      await watchCommand(rest);
      return 0;
    case 'normalize':
      return (await normalizeCommand(rest)) > 0 ? 1 : 0;
    case 'demo':
      await demoCommand(rest);
      return 0;
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`venuekit: ${VenueError.is(err) ? err.message : err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
