/**
 * `venuekit watch <ticker|trades|book|candles> <SYMBOL>`: a live table on a terminal, or JSON lines
 * (`--json`, decimals as exact strings) on stdout; connection state changes (reconnecting, reconnected,
 * resync, gaps, rate limits, problems) one line each on stderr. Stops on Ctrl-C, after `--count` events or
 * `--duration` seconds, or when the reader of stdout goes away (`| head`).
 */
import type { Exchange } from '../client/exchange.js';
import type { OrderBookView } from '../core/book/book-view.js';
import { stringifyJson } from '../core/json.js';
import { booleanOption, intOption, parseCommandLine, stringOption, UsageError, type CommandLine, type CommandSpec } from './args.js';
import { connect, resolveSymbol } from './connect.js';
import { cliIo, writeOut, type CliIo } from './io.js';
import { CLI_VENUES } from './venues.js';

const KINDS = ['ticker', 'trades', 'book', 'candles'] as const;
type Kind = (typeof KINDS)[number];

export const WATCH_SPEC: CommandSpec = {
  name: 'watch',
  summary: 'Live market data of one symbol: a table on a terminal, or JSON lines with --json.',
  positionals: ['<ticker|trades|book|candles>', '<SYMBOL>'],
  options: {
    exchange: { type: 'string', value: 'VENUE', help: `venue: ${CLI_VENUES.map((v) => v.name).join(', ')} (default binance)` },
    market: { type: 'string', value: 'MARKET', help: 'market of a venue id that several markets list (see below)' },
    json: { type: 'boolean', help: 'JSON lines, decimals as exact strings' },
    depth: { type: 'string', value: 'N', help: 'book levels shown per side (default 10)' },
    interval: { type: 'string', value: 'I', help: 'candle interval (default 1m)' },
    count: { type: 'string', value: 'N', help: 'stop after N events (default: no limit)' },
    duration: { type: 'string', value: 'S', help: 'stop after S seconds (default: no limit)' },
    env: { type: 'string', value: 'ENV', help: 'sim (default: an embedded simulator), or a venue environment (see below)' },
    endpoints: { type: 'string', value: 'JSON|FILE', help: 'a running simulator: the line `venuekit sim` printed, or a file holding it' },
  },
  notes: [
    `SYMBOL is unified (BTC/USDT, BTC/USDT:USDT) or the venue's id (BTCUSDT, BTC-USDT-SWAP).`,
    `markets: ${CLI_VENUES.map((v) => `${v.name} ${Object.keys(v.markets).join('|')}`).join('; ')}`,
    `environments: ${CLI_VENUES.map((v) => `${v.name} ${v.envs.join('|')}`).join('; ')}`,
    'Data goes to stdout; connection state changes go to stderr, one line each.',
  ],
};

/** Runs `watch` on a parsed command line; resolves when it stopped. */
export async function runWatch(line: CommandLine, io: CliIo): Promise<void> {
  const [kind, typed] = line.positionals as [string, string];
  if (!KINDS.includes(kind as Kind)) throw new UsageError('watch', `unknown kind ${JSON.stringify(kind)}: use ${KINDS.join(', ')}`);
  const json = booleanOption(line, 'json');
  const count = intOption('watch', line, 'count', 0, { min: 0 });
  const durationS = intOption('watch', line, 'duration', 0, { min: 0 });
  const depth = intOption('watch', line, 'depth', 10, { min: 1, max: 5000 });
  const interval = stringOption(line, 'interval', '1m');
  const market = stringOption(line, 'market');
  await using conn = await connect({ exchange: stringOption(line, 'exchange'), market, env: stringOption(line, 'env'), endpoints: stringOption(line, 'endpoints') });
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  io.outClosed.addEventListener('abort', stop, { once: true });
  if (io.outClosed.aborted) stop();
  const timer = durationS > 0 ? setTimeout(stop, durationS * 1000) : undefined;
  const ex = conn.exchange;
  const note = (text: string): void => void io.err.write(`venuekit watch: ${text}\n`);
  const unsubscribe = reportStateChanges(ex, note);
  try {
    await ex.loadMarkets({ signal: controller.signal });
    const symbol = resolveSymbol(ex, conn.venue, typed, market);
    note(`watching ${kind} ${symbol} on ${conn.target} (Ctrl-C to stop)`);
    let n = 0;
    const emit = (text: string): boolean => writeOut(io, text) && !(count > 0 && ++n >= count);
    const signal = controller.signal;
    switch (kind as Kind) {
      case 'ticker':
        for await (const t of ex.watchTicker(symbol, { signal })) {
          if (!emit(json ? stringifyJson({ type: 'ticker', ...t }) + '\n' : `${fmtTime(t.exchangeTime)} last ${t.last ?? '-'}  bid ${t.bid ?? '-'} / ask ${t.ask ?? '-'}  vol ${t.baseVolume ?? '-'}\n`)) break;
        }
        break;
      case 'trades':
        for await (const t of ex.watchTrades(symbol, { signal })) {
          if (!emit(json ? stringifyJson({ type: 'trade', ...t }) + '\n' : `${fmtTime(t.exchangeTime)} ${t.side.padEnd(4)} ${t.amount.toString().padStart(14)} @ ${t.price}  #${t.id}\n`)) break;
        }
        break;
      case 'candles':
        for await (const c of ex.watchOHLCV(symbol, interval, { signal })) {
          if (!emit(json ? stringifyJson({ type: 'candle', ...c }) + '\n' : `${fmtTime(c.openTime)} ${interval} o ${c.open} h ${c.high} l ${c.low} c ${c.close} v ${c.volume}${c.closed ? ' (closed)' : ''}\n`)) break;
        }
        break;
      case 'book': {
        const tty = !json && (io.out as { isTTY?: boolean }).isTTY === true;
        let lastDraw = 0;
        // The book keeps `depth` levels (the venue's maximum for the market is checked by the library).
        for await (const book of ex.watchOrderBook(symbol, { depth, signal })) {
          if (json) {
            if (!emit(stringifyJson({ type: 'book', ...book.snapshot(depth), event: book.event }) + '\n')) break;
          } else if (Date.now() - lastDraw >= 100 || book.event === 'snapshot') {
            lastDraw = Date.now();
            if (!emit(drawBook(book, depth, tty))) break;
          }
        }
        break;
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    io.outClosed.removeEventListener('abort', stop);
  }
}

/** Prints the client's connection state changes through `note`, one line each; returns the unsubscriber. */
function reportStateChanges(ex: Exchange, note: (text: string) => void): () => void {
  const ev = ex.events;
  const offs = [
    ev.on('reconnecting', (e) => note(`${e.connection} connection #${e.shard} lost (${e.reason}); reconnecting in ${e.delayMs} ms (attempt ${e.attempt})`)),
    ev.on('reconnected', (e) => note(`${e.connection} connection #${e.shard} reconnected after ${e.downtimeMs} ms; subscriptions restored`)),
    ev.on('rotated', (e) => note(`${e.connection} connection #${e.shard} replaced before the venue's lifetime cut${e.seamless ? ', nothing missed' : '; data may have been missed'}`)),
    ev.on('resync', (e) => note(`book ${e.symbol} resynced from a fresh snapshot (${e.reason})`)),
    ev.on('gap', (e) => note(`${e.stream} ${e.symbol}: ${e.missing} missed between ids ${e.afterId} and ${e.beforeId}`)),
    ev.on('stream-reset', (e) => note(`${e.stream} ${e.symbol} started over (${e.reason}${e.id === undefined ? '' : ` at id ${e.id}`})`)),
    ev.on('rate-limited', (e) => note(`rate-limited on ${e.api} until ${new Date(e.untilMs).toISOString()}`)),
    ev.on('problem', (e) => note(`problem in ${e.context}: ${e.error.message}`)),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** `watch` as a library function (tests): parses `argv`, writes data to `out` and state lines to `err`. */
export async function watchCommand(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<void> {
  await runWatch(parseCommandLine(WATCH_SPEC, argv), cliIo(out, err));
}

function fmtTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

function drawBook(book: OrderBookView, depth: number, tty: boolean): string {
  const bids = book.bids(depth);
  const asks = book.asks(depth);
  const lines: string[] = [];
  lines.push(`${book.symbol}  seq ${book.seq}  ${fmtTime(book.exchangeTime)}  levels ${book.bidCount}/${book.askCount}${book.event === 'snapshot' ? `  [${book.resyncReason ?? 'snapshot'}]` : ''}`);
  lines.push(`${'bid size'.padStart(16)} ${'bid'.padStart(14)} | ${'ask'.padEnd(14)} ${'ask size'.padEnd(16)}`);
  for (let i = 0; i < depth; i++) {
    const b = bids[i];
    const a = asks[i];
    lines.push(`${(b?.amount.toString() ?? '').padStart(16)} ${(b?.price.toString() ?? '').padStart(14)} | ${(a?.price.toString() ?? '').padEnd(14)} ${(a?.amount.toString() ?? '').padEnd(16)}`);
  }
  return (tty ? '\x1b[H\x1b[2J' : '') + lines.join('\n') + '\n';
}
