/**
 * Opens an Exchange for a CLI command on the `--exchange` venue: against the embedded simulator (default,
 * started in-process), an external simulator (`--endpoints` JSON or file from `venuekit sim`), or a named
 * venue environment (`--env`). Also resolves what the user typed to a unified symbol.
 */
import { readFileSync } from 'node:fs';
import type { Exchange } from '../client/exchange.js';
import { VenueError } from '../core/errors.js';
import { startSimulator } from '../testing/sim/server.js';
import { UsageError } from './args.js';
import { checkEnv, marketNamed, segmentOf, venueNamed, type CliVenue } from './venues.js';

export interface Connected extends AsyncDisposable {
  readonly exchange: Exchange;
  readonly venue: CliVenue;
  /** Where it connected, for humans. */
  readonly target: string;
}

/** Where to connect, as the command line says it (`--exchange`, `--market`, `--env`, `--endpoints`). */
export interface ConnectOptions {
  readonly exchange?: string | undefined;
  readonly market?: string | undefined;
  readonly env?: string | undefined;
  readonly endpoints?: string | undefined;
}

/**
 * Checks the options, then connects: a bad value is a `UsageError` before anything starts. With `--endpoints`
 * and `--env` together, `--env` must be `sim` (the endpoints are a simulator's).
 */
export async function connect(opts: ConnectOptions): Promise<Connected> {
  const venue = venueNamed(opts.exchange);
  if (opts.market !== undefined) segmentOf(venue, opts.market);
  const env = opts.env ?? 'sim';
  if (env !== 'sim') checkEnv(venue, env);
  const endpoints = opts.endpoints;
  if (endpoints !== undefined) {
    if (env !== 'sim') throw new UsageError(undefined, `--endpoints names a simulator; it cannot go with --env ${env}`);
    let text: string;
    try {
      text = endpoints.trimStart().startsWith('{') ? endpoints : readFileSync(endpoints, 'utf8');
    } catch (err) {
      throw new UsageError(undefined, `--endpoints ${endpoints}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}); give the line \`venuekit sim\` printed, or a file holding it`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UsageError(undefined, '--endpoints is not JSON (give the line `venuekit sim` printed, or a file holding it)');
    }
    const entry = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[venue.name] : undefined;
    if (entry === undefined) throw new UsageError(undefined, `--endpoints has no "${venue.name}" entry (start the simulator with --venues including ${venue.name})`);
    const { exchange, rest } = venue.atEndpoints(entry);
    return { exchange, venue, target: `${venue.name} simulator at ${rest}`, [Symbol.asyncDispose]: () => exchange.close() };
  }
  if (env === 'sim') {
    const sim = await startSimulator({ venues: [venue.name] });
    let exchange: Exchange;
    try {
      ({ exchange } = venue.atEndpoints(sim.endpoints[venue.name]));
    } catch (err) {
      await sim.close();
      throw err;
    }
    return {
      exchange,
      venue,
      target: `the embedded ${venue.name} simulator`,
      [Symbol.asyncDispose]: async () => {
        await exchange.close();
        await sim.close();
      },
    };
  }
  const exchange = venue.atEnv(env);
  return { exchange, venue, target: `${venue.name} ${env}`, [Symbol.asyncDispose]: () => exchange.close() };
}

/**
 * Resolves what the user typed to a unified symbol: a unified `BTC/USDT` as is, or a venue id (`BTCUSDT`,
 * `BTC-USDT-SWAP`) among the `--market` segment's markets. Without `--market`, an id is looked up in the
 * venue's default market first, then in any market that lists it once.
 */
export function resolveSymbol(exchange: Exchange, venue: CliVenue, typed: string, market: string | undefined): string {
  if (typed.includes('/')) return exchange.market(typed).symbol;
  const id = typed.toUpperCase();
  const named = Object.values(exchange.markets).filter((m) => m.id.toUpperCase() === id);
  if (market !== undefined) {
    const segment = segmentOf(venue, market);
    const found = named.find((m) => m.segment === segment);
    if (found === undefined) throw new VenueError('not-found', `no ${venue.name} ${market} market with id ${typed}`);
    return found.symbol;
  }
  const preferred = named.find((m) => m.segment === segmentOf(venue, venue.defaultMarket));
  if (preferred !== undefined) return preferred.symbol;
  if (named.length === 1) return (named[0] as (typeof named)[number]).symbol;
  if (named.length === 0) throw new VenueError('not-found', `no ${venue.name} market with id ${typed}`);
  throw new UsageError(undefined, `${typed} names several ${venue.name} markets; pick one with --market ${named.map((m) => marketNamed(venue, m.segment)).join('|')}`);
}
