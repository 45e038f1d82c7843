/**
 * `venuekit demo` (what `npm start` runs): starts the embedded simulator, points a Binance, a Bybit and an OKX
 * client at it, and shows markets, a ticker, live self-healing order books (spot and perpetual per venue) and
 * trades, then injects a sequence gap and a dropped connection so the automatic resync and reconnect can be
 * seen. Every book update is checked for a crossed book or a sequence going backwards. Midway each venue trades
 * (a post-only order cancelled by client id, a market order filled) and the client's orders and fills are checked
 * against the simulator's matching engine. Ends after `--duration` s.
 */
import type { Exchange } from '../client/exchange.js';
import { Decimal } from '../core/decimal.js';
import type { UpdateId } from '../core/json.js';
import { SIM_DEMO_ACCOUNT, startSimulator } from '../testing/sim/server.js';
import { tradeRound, type TradeRoundResult } from './demo-trading.js';
import { intFlag, parseArgs } from './args.js';
import { CLI_VENUES, type CliVenue } from './venues.js';

/** The books each venue shows: a spot market and a linear perpetual. */
const BOOKS = ['BTC/USDT', 'BTC/USDT:USDT'] as const;
const TRADES = 'BTC/USDT';
/** Size of the demo's orders on `TRADES` (above every venue's minimum notional in the simulator). */
const TRADE_AMOUNT = '0.002';
/** The simulator's instruments for the demo: a few per venue keeps it light. */
const SIM_SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'BTC/USDT:USDT', 'ETH/USDT:USDT', 'BTC/USD:BTC'];

interface BookStats {
  updates: number;
  crossed: number;
  backwards: number;
  prevSeq: UpdateId | undefined;
  top: string;
}

interface VenueRun {
  readonly venue: CliVenue;
  readonly ex: Exchange;
  readonly books: Map<string, BookStats>;
  trades: number;
  volume: Decimal;
}

export async function demoCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const args = parseArgs(argv);
  const durationMs = intFlag(args, 'duration', 8) * 1000;
  const say = (line: string) => out.write(line + '\n');
  const controller = new AbortController();
  const signal = controller.signal;
  const stop = () => controller.abort();
  process.once('SIGINT', stop);

  await using sim = await startSimulator({ seed: 7, symbols: SIM_SYMBOLS });
  const runs: VenueRun[] = [];
  const traded: Array<TradeRoundResult & { venue: string }> = [];
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  const loops: Array<Promise<void>> = [];
  try {
    for (const venue of CLI_VENUES) {
      const { exchange: ex, rest } = venue.atEndpoints(sim.endpoints[venue.name], SIM_DEMO_ACCOUNT);
      runs.push({ venue, ex, books: new Map(), trades: 0, volume: Decimal.ZERO });
      const tag = `  ! ${venue.name}:`;
      ex.events.on('resync', (e) => say(`${tag} book ${e.symbol} rebuilt from a fresh snapshot (${e.reason}); the old book stayed visible meanwhile`));
      ex.events.on('reconnected', (e) => say(`${tag} ${e.connection} connection back after ${e.downtimeMs} ms, subscriptions restored`));
      ex.events.on('problem', (e) => say(`${tag} ${e.context}: ${e.error.message}`));
      const list = Object.values(await ex.loadMarkets({ signal }));
      const btc = ex.market(TRADES);
      const ticker = await ex.fetchTicker(TRADES, { signal });
      say(`${venue.name}: simulator REST ${rest}; ${list.length} markets (${list.filter((m) => m.type === 'spot').length} spot, ${list.filter((m) => m.type !== 'spot').length} derivatives)`);
      say(`  ${TRADES} tick ${btc.tickSize} step ${btc.stepSize}; ticker last ${ticker.last ?? '-'} bid ${ticker.bid ?? '-'} ask ${ticker.ask ?? '-'} (exact decimals)`);
    }

    for (const run of runs) {
      loops.push(watchTrades(run, signal));
      for (const symbol of BOOKS) loops.push(watchBook(run, symbol, signal, say));
    }

    timers.push(
      setTimeout(() => {
        loops.push(
          (async () => {
            for (const run of runs) {
              try {
                traded.push({ venue: run.venue.name, ...(await tradeRound(run.ex, sim, TRADES, TRADE_AMOUNT, say, signal)) });
              } catch (err) {
                if (!signal.aborted) say(`  ! ${run.venue.name}: trading round failed: ${err instanceof Error ? err.message : String(err)}`);
              }
            }
          })(),
        );
      }, durationMs / 6),
    );

    const started = Date.now();
    const status = setInterval(() => {
      const tops = runs.map((r) => `${r.venue.name} ${r.books.get(TRADES)?.top ?? '-'}`).join('  ');
      const updates = runs.reduce((n, r) => n + [...r.books.values()].reduce((m, b) => m + b.updates, 0), 0);
      say(`t+${((Date.now() - started) / 1000).toFixed(0)}s  ${TRADES} bid/ask: ${tops}  (${updates} book updates)`);
    }, 1000);
    timers.push(
      setTimeout(() => {
        say(`injecting a sequence gap on ${BOOKS[1]} at every venue (one book message will not be sent)...`);
        sim.faults.gap(BOOKS[1]);
      }, durationMs / 3),
      setTimeout(() => {
        say('dropping every stream connection...');
        sim.faults.drop();
      }, (2 * durationMs) / 3),
      setTimeout(stop, durationMs),
    );
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    clearInterval(status);
  } finally {
    for (const t of timers) clearTimeout(t);
    process.off('SIGINT', stop);
    controller.abort();
    await Promise.all(loops);
    await Promise.all(runs.map((r) => r.ex.close()));
  }

  let updates = 0;
  let trades = 0;
  let crossed = 0;
  let backwards = 0;
  for (const run of runs) {
    const books = [...run.books.entries()];
    say(`${run.venue.name}: ${books.map(([s, b]) => `${s} ${b.updates} updates`).join(', ')}, ${run.trades} ${TRADES} trades (vol ${run.volume.normalize()})`);
    updates += books.reduce((n, [, b]) => n + b.updates, 0);
    crossed += books.reduce((n, [, b]) => n + b.crossed, 0);
    backwards += books.reduce((n, [, b]) => n + b.backwards, 0);
    trades += run.trades;
  }
  say(`done: ${updates} book updates seen, ${trades} trades; crossed books shown: ${crossed}, books going back in sequence: ${backwards}.`);
  const orders = traded.reduce((n, t) => n + t.orders, 0);
  const fills = traded.reduce((n, t) => n + t.fills, 0);
  const mismatches = traded.reduce((n, t) => n + t.mismatches, 0);
  say(`trading: ${traded.length} of ${runs.length} venues traded, ${orders} orders and ${fills} fills on the venues; orders or fills the client got wrong: ${mismatches}.`);
}

/** Counts a venue's trades until `signal` aborts; a failure is reported, not thrown. */
async function watchTrades(run: VenueRun, signal: AbortSignal): Promise<void> {
  try {
    for await (const t of run.ex.watchTrades(TRADES, { signal })) {
      run.trades++;
      run.volume = run.volume.add(t.amount);
    }
  } catch {
    // Aborted at the end; a real failure shows as zero trades in the summary.
  }
}

/** Follows one book until `signal` aborts, checking every update for a crossed book or a sequence going back. */
async function watchBook(run: VenueRun, symbol: string, signal: AbortSignal, say: (line: string) => void): Promise<void> {
  const stats: BookStats = { updates: 0, crossed: 0, backwards: 0, prevSeq: undefined, top: '-' };
  run.books.set(symbol, stats);
  try {
    for await (const book of run.ex.watchOrderBook(symbol, { signal })) {
      stats.updates++;
      if (book.isCrossed()) stats.crossed++;
      if (book.event !== 'snapshot' && stats.prevSeq !== undefined && book.seq < stats.prevSeq) stats.backwards++;
      stats.prevSeq = book.seq;
      stats.top = `${book.bestBid()?.price ?? '-'}/${book.bestAsk()?.price ?? '-'}`;
      if (book.event === 'snapshot' && book.resyncReason === 'initial') say(`${run.venue.name}: book ${symbol} synced at update id ${book.seq} (${book.bidCount} bids, ${book.askCount} asks)`);
    }
  } catch (err) {
    if (!signal.aborted) say(`  ! ${run.venue.name}: book ${symbol} stopped: ${err instanceof Error ? err.message : String(err)}`);
  }
}
