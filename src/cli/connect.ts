/**
 * Opens an Exchange for a CLI command: against the embedded simulator (default, started in-process), an
 * external simulator (`--endpoints` JSON or file from `venuekit sim`), or a named venue environment.
 */
import { readFileSync } from 'node:fs';
import { binance } from '../client/binance.js';
import type { BinanceUrls } from '../client/binance.js';
import type { Exchange } from '../client/exchange.js';
import { VenueError } from '../core/errors.js';
import { startSimulator } from '../testing/sim/server.js';
import type { ParsedArgs } from './args.js';
import { flag } from './args.js';

export interface Connected extends AsyncDisposable {
  readonly exchange: Exchange;
  /** Where it connected, for humans. */
  readonly target: string;
}

export async function connect(args: ParsedArgs): Promise<Connected> {
  const venue = flag(args, 'exchange', 'binance');
  if (venue !== 'binance') throw new VenueError('invalid-argument', `--exchange ${venue}: only binance is available yet`);
  const env = flag(args, 'env', 'sim') as string;
  const endpoints = flag(args, 'endpoints');
  if (endpoints !== undefined) {
    const text = endpoints.trimStart().startsWith('{') ? endpoints : readFileSync(endpoints, 'utf8');
    const urls = (JSON.parse(text) as { binance?: BinanceUrls }).binance;
    if (urls === undefined) throw new VenueError('invalid-argument', '--endpoints has no "binance" entry');
    const exchange = binance({ urls });
    return { exchange, target: `simulator at ${urls.spot.rest}`, [Symbol.asyncDispose]: () => exchange.close() };
  }
  if (env === 'sim') {
    const sim = await startSimulator({});
    const exchange = binance({ urls: sim.endpoints.binance });
    return {
      exchange,
      target: 'the embedded simulator',
      [Symbol.asyncDispose]: async () => {
        await exchange.close();
        await sim.close();
      },
    };
  }
  if (env !== 'mainnet' && env !== 'testnet' && env !== 'demo') throw new VenueError('invalid-argument', `--env ${env}: use sim, mainnet, testnet or demo`);
  const exchange = binance({ env });
  return { exchange, target: `binance ${env}`, [Symbol.asyncDispose]: () => exchange.close() };
}

/** Resolves what the user typed (unified `BTC/USDT` or venue id `BTCUSDT` with `--market`) to a unified symbol. */
export function resolveSymbol(exchange: Exchange, typed: string, market: string | undefined): string {
  if (typed.includes('/')) return exchange.market(typed).symbol;
  const segment = market ?? 'spot';
  const found = exchange.markets.find((m) => m.segment === segment && m.id.toUpperCase() === typed.toUpperCase());
  if (found === undefined) throw new VenueError('not-found', `no ${segment} market with id ${typed}`);
  return found.symbol;
}
