/**
 * `venuekit normalize --exchange binance|bybit|okx --market ... [--markets instruments.json]`: raw WebSocket
 * frames on stdin (one per line) → normalized events as JSON lines on stdout, decimals as exact strings.
 * A bad line is reported on stderr as a JSON error and skipped; the exit status is 1 if any line failed.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { toVenueError, VenueError } from '../core/errors.js';
import { parseJson, stringifyJson } from '../core/json.js';
import { flag, parseArgs } from './args.js';
import { segmentOf, venueNamed } from './venues.js';

export interface NormalizeIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly errors: NodeJS.WritableStream;
}

/** Returns the number of lines that failed. */
export async function normalizeCommand(argv: string[], io: NormalizeIo = { input: process.stdin, output: process.stdout, errors: process.stderr }): Promise<number> {
  const args = parseArgs(argv);
  const venue = venueNamed(flag(args, 'exchange'));
  const segment = segmentOf(venue, flag(args, 'market', venue.defaultMarket) as string);
  const adapter = venue.marketData();

  const known = new Map<string, string>();
  const marketsFile = flag(args, 'markets');
  if (marketsFile !== undefined) {
    for (const m of adapter.parseMarkets(parseJson(readFileSync(marketsFile, 'utf8')), segment)) known.set(m.id, m.symbol);
  }
  const resolve = (id: string): string => {
    const s = known.get(id) ?? venue.guessSymbol(id, segment);
    if (s === undefined) throw new VenueError('not-found', `unknown market id ${id} (pass --markets with the venue's instruments response)`, { venue: venue.name });
    return s;
  };

  let lineNo = 0;
  let failed = 0;
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const receivedAt = Date.now();
    try {
      for (const event of adapter.normalizeFrame(parseJson(line), segment, resolve, receivedAt)) {
        io.output.write(stringifyJson(event) + '\n');
      }
    } catch (err) {
      failed++;
      const e = toVenueError(err, 'decode');
      io.errors.write(stringifyJson({ type: 'error', line: lineNo, code: e.code, message: e.message }) + '\n');
    }
  }
  return failed;
}
