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
import type { Market } from '../core/model.js';
import { SIM_DEMO_ACCOUNT, startSimulator } from '../testing/sim/server.js';
import { priceText, tradeRound, type TradeRoundResult } from './demo-trading.js';
import { intOption, parseCommandLine, type CommandLine, type CommandSpec } from './args.js';
import { cliIo, writeOut, type CliIo } from './io.js';
import { CLI_VENUES, type CliVenue } from './venues.js';

export const DEMO_SPEC: CommandSpec = {
  name: 'demo',
  summary: 'A tour of Binance, Bybit and OKX on an embedded simulator: books, trades, a gap and a dropped connection healing, one trading round per venue.',
  positionals: [],
  options: {
    duration: { type: 'string', value: 'S', help: 'how long the tour runs, in seconds (default 8, at most 3600)' },
  },
  notes: ['Ctrl-C ends it early; the summary still prints.'],
};

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

/** `demo` as a library function (tests): parses `argv` and writes the tour to `out`. */
export async function demoCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  await runDemo(parseCommandLine(DEMO_SPEC, argv), cliIo(out));
}

/** Runs the tour; stops early on Ctrl-C or when the reader of its output goes away. */
export async function runDemo(line: CommandLine, io: CliIo): Promise<void> {
  const seconds = intOption('demo', line, 'duration', 8, { min: 1, max: 3600 });
  const durationMs = seconds * 1000;
  const say = (text: string): void => void writeOut(io, text + '\n');
  const controller = new AbortController();
  const signal = controller.signal;
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  io.outClosed.addEventListener('abort', stop, { once: true });
  if (io.outClosed.aborted) stop();
  say(
    `venuekit demo: a tour of ${CLI_VENUES.map((v) => v.title).join(', ').replace(/, ([^,]*)$/, ' and $1')} on an embedded simulator, about ${seconds} s: markets and tickers, live spot and perpetual books checked on every update, trades, an injected sequence gap and dropped connections healing, and one trading round per venue (Ctrl-C ends it early).`,
  );

  await using sim = await startSimulator({ seed: 7, symbols: SIM_SYMBOLS });
  const runs: VenueRun[] = [];
  const traded: Array<TradeRoundResult & { venue: string }> = [];
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  const loops: Array<Promise<void>> = [];
  let status: ReturnType<typeof setInterval> | undefined;
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
      say(`  ${TRADES} tick ${btc.tickSize.normalize()} step ${btc.stepSize.normalize()}; ticker last ${priceText(btc, ticker.last)} bid ${priceText(btc, ticker.bid)} ask ${priceText(btc, ticker.ask)} (exact decimals at the market's precision)`);
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
    status = setInterval(() => {
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
  } catch (err) {
    // Ctrl-C or a closed output during the setup ends the tour; anything else is a failure.
    if (!signal.aborted) throw err;
  } finally {
    if (status !== undefined) clearInterval(status);
    for (const t of timers) clearTimeout(t);
    process.off('SIGINT', stop);
    io.outClosed.removeEventListener('abort', stop);
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
  const market: Market = run.ex.market(symbol);
  try {
    for await (const book of run.ex.watchOrderBook(symbol, { signal })) {
      stats.updates++;
      if (book.isCrossed()) stats.crossed++;
      if (book.event !== 'snapshot' && stats.prevSeq !== undefined && book.seq < stats.prevSeq) stats.backwards++;
      stats.prevSeq = book.seq;
      stats.top = `${priceText(market, book.bestBid()?.price)}/${priceText(market, book.bestAsk()?.price)}`;
      if (book.event === 'snapshot' && book.resyncReason === 'initial') say(`${run.venue.name}: book ${symbol} synced at update id ${book.seq} (${book.bidCount} bids, ${book.askCount} asks)`);
    }
  } catch (err) {
    if (!signal.aborted) say(`  ! ${run.venue.name}: book ${symbol} stopped: ${err instanceof Error ? err.message : String(err)}`);
  }
}
