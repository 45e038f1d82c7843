/**
 * `venuekit demo` (what `npm start` runs): starts the embedded simulator, points a Binance client at it,
 * and shows markets, a ticker, a live self-healing order book and trades, then injects a sequence gap and a
 * dropped connection so the automatic resync and reconnect can be seen. Ends after `--duration` seconds.
 */
import { binance } from '../client/binance.js';
import { startSimulator } from '../testing/sim/server.js';
import { intFlag, parseArgs } from './args.js';

export async function demoCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const args = parseArgs(argv);
  const durationMs = intFlag(args, 'duration', 12) * 1000;
  const say = (line: string) => out.write(line + '\n');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);

  await using sim = await startSimulator({ seed: 7 });
  say(`simulator up: Binance spot REST ${sim.endpoints.binance.spot.rest}, USD-M REST ${sim.endpoints.binance.usdm.rest}`);
  await using ex = binance({ urls: sim.endpoints.binance });
  ex.events.on('resync', (e) => say(`  ! book ${e.symbol} rebuilt from a fresh snapshot (${e.reason}); the old book stayed visible meanwhile`));
  ex.events.on('reconnecting', (e) => say(`  ! ${e.connection} connection lost (${e.reason}); reconnecting in ${e.delayMs} ms`));
  ex.events.on('reconnected', (e) => say(`  ! ${e.connection} back after ${e.downtimeMs} ms, subscriptions restored`));
  ex.events.on('problem', (e) => say(`  ! ${e.context}: ${e.error.message}`));

  const markets = await ex.loadMarkets();
  const list = Object.values(markets);
  say(`loaded ${list.length} markets (${list.filter((m) => m.type === 'spot').length} spot, ${list.filter((m) => m.type !== 'spot').length} USD-M)`);
  const btc = ex.market('BTC/USDT');
  say(`BTC/USDT: tick ${btc.tickSize}, step ${btc.stepSize}, min notional ${btc.minNotional ?? '-'}`);
  const ticker = await ex.fetchTicker('BTC/USDT');
  say(`ticker: last ${ticker.last} bid ${ticker.bid} ask ${ticker.ask} (exact decimals)`);

  let trades = 0;
  let volume = btc.stepSize.sub(btc.stepSize); // exact zero at the step's scale
  const tradesLoop = (async () => {
    for await (const t of ex.watchTrades('BTC/USDT', { signal: controller.signal })) {
      trades++;
      volume = volume.add(t.amount);
    }
  })().catch(() => undefined);

  const started = Date.now();
  let gapSent = false;
  let dropSent = false;
  let lastPrint = 0;
  let updates = 0;
  let crossed = 0;
  let backwards = 0;
  let prevSeq: number | bigint | undefined;
  const timer = setTimeout(stop, durationMs);
  try {
    for await (const book of ex.watchOrderBook('BTC/USDT', { signal: controller.signal })) {
      updates++;
      if (book.isCrossed()) crossed++;
      if (book.event !== 'snapshot' && prevSeq !== undefined && book.seq < prevSeq) backwards++;
      prevSeq = book.seq;
      const elapsed = Date.now() - started;
      if (book.event === 'snapshot') say(`book ${book.symbol} synced at update id ${book.seq} (${book.bidCount} bids, ${book.askCount} asks) [${book.resyncReason}]`);
      if (elapsed - lastPrint >= 1000) {
        lastPrint = elapsed;
        say(`t+${(elapsed / 1000).toFixed(0)}s  bid ${book.bestBid()?.price} / ask ${book.bestAsk()?.price}  id ${book.seq}  updates ${updates}  trades ${trades} (vol ${volume.normalize()})`);
      }
      if (!gapSent && elapsed > durationMs / 3) {
        gapSent = true;
        say('injecting a sequence gap (one depth event will not be sent)...');
        sim.faults.gap('BTC/USDT');
      }
      if (!dropSent && elapsed > (2 * durationMs) / 3) {
        dropSent = true;
        say('dropping every stream connection...');
        sim.faults.drop();
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', stop);
    controller.abort();
    await tradesLoop;
  }
  say(`done: ${updates} book updates seen, ${trades} trades; crossed books shown: ${crossed}, books going back in sequence: ${backwards}.`);
}
