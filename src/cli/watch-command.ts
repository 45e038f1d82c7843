/**
 * `venuekit watch <ticker|trades|book|candles> <SYMBOL>`: a live table on a terminal, or JSON lines
 * (`--json`, decimals as exact strings). Stops on Ctrl-C, after `--count` events or `--duration` seconds.
 */
import type { OrderBookView } from '../core/book/book-view.js';
import { VenueError } from '../core/errors.js';
import { stringifyJson } from '../core/json.js';
import { flag, intFlag, parseArgs } from './args.js';
import { connect, resolveSymbol } from './connect.js';
import { CLI_VENUES } from './venues.js';

const KINDS = ['ticker', 'trades', 'book', 'candles'] as const;
type Kind = (typeof KINDS)[number];

export async function watchCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const args = parseArgs(argv, ['json']);
  const [kind, typed] = args.positionals;
  if (!KINDS.includes(kind as Kind) || typed === undefined) {
    throw new VenueError('invalid-argument', `usage: venuekit watch <ticker|trades|book|candles> <SYMBOL> [--exchange ${CLI_VENUES.map((v) => v.name).join('|')}] [--market ${CLI_VENUES.map((v) => `${v.name}: ${Object.keys(v.markets).join('|')}`).join('; ')}] [--json] [--depth N] [--interval 1m] [--count N] [--duration S] [--env sim|<venue env>] [--endpoints JSON|FILE]`);
  }
  const json = args.flags.has('json');
  const count = intFlag(args, 'count', 0);
  const durationS = intFlag(args, 'duration', 0);
  await using conn = await connect(args);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = durationS > 0 ? setTimeout(onSignal, durationS * 1000) : undefined;
  const ex = conn.exchange;
  try {
    await ex.loadMarkets({ signal: controller.signal });
    const symbol = resolveSymbol(ex, conn.venue, typed, flag(args, 'market'));
    if (!json) out.write(`watching ${kind} ${symbol} on ${conn.target} (Ctrl-C to stop)\n`);
    ex.events.on('resync', (e) => !json && out.write(`-- book resynced (${e.reason})\n`));
    ex.events.on('reconnected', (e) => !json && out.write(`-- reconnected ${e.connection} after ${e.downtimeMs} ms\n`));
    let n = 0;
    const stop = () => count > 0 && ++n >= count;
    const signal = controller.signal;
    switch (kind as Kind) {
      case 'ticker':
        for await (const t of ex.watchTicker(symbol, { signal })) {
          out.write(json ? stringifyJson({ type: 'ticker', ...t }) + '\n' : `${fmtTime(t.exchangeTime)} last ${t.last ?? '-'}  bid ${t.bid ?? '-'} / ask ${t.ask ?? '-'}  vol ${t.baseVolume ?? '-'}\n`);
          if (stop()) break;
        }
        break;
      case 'trades':
        for await (const t of ex.watchTrades(symbol, { signal })) {
          out.write(json ? stringifyJson({ type: 'trade', ...t }) + '\n' : `${fmtTime(t.exchangeTime)} ${t.side.padEnd(4)} ${t.amount.toString().padStart(14)} @ ${t.price}  #${t.id}\n`);
          if (stop()) break;
        }
        break;
      case 'candles': {
        const interval = flag(args, 'interval', '1m') as string;
        for await (const c of ex.watchOHLCV(symbol, interval, { signal })) {
          out.write(json ? stringifyJson({ type: 'candle', ...c }) + '\n' : `${fmtTime(c.openTime)} ${interval} o ${c.open} h ${c.high} l ${c.low} c ${c.close} v ${c.volume}${c.closed ? ' (closed)' : ''}\n`);
          if (stop()) break;
        }
        break;
      }
      case 'book': {
        const depth = intFlag(args, 'depth', 10);
        const tty = !json && (out as { isTTY?: boolean }).isTTY === true;
        let lastDraw = 0;
        for await (const book of ex.watchOrderBook(symbol, { signal })) {
          if (json) out.write(stringifyJson({ type: 'book', ...book.snapshot(depth), event: book.event }) + '\n');
          else if (Date.now() - lastDraw >= 100 || book.event === 'snapshot') {
            lastDraw = Date.now();
            out.write(drawBook(book, depth, tty));
          }
          if (stop()) break;
        }
        break;
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
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

