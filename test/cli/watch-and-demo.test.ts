/**
 * `venuekit watch --json` on Binance, Bybit and OKX (in-process) and `venuekit demo` (what `npm start` runs; the
 * real command) against the simulator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchCommand } from '../../src/cli/watch-command.js';
import { Decimal } from '../../src/core/decimal.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import { jsonLines, sink } from './cli-io.js';
import { run } from './cli-process.js';

interface BookLine {
  type: string;
  symbol: string;
  event: string;
  bids: Array<{ price: string; amount: string }>;
  asks: Array<{ price: string; amount: string }>;
}

async function watchJson(argv: string[]): Promise<Array<Record<string, unknown>>> {
  const out = sink();
  const err = sink();
  await watchCommand([...argv, '--json'], out.stream, err.stream);
  assert.match(err.text(), /^venuekit watch: watching /, 'the state lines go to stderr, not into the data');
  return jsonLines(out.text());
}

test('watch --json prints book snapshots as JSON lines with exact decimal strings', async () => {
  const lines = (await watchJson(['book', 'BTCUSDT', '--exchange', 'binance', '--market', 'spot', '--count', '3', '--depth', '5'])) as unknown as BookLine[];
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.event, 'snapshot');
  assert.ok(lines.every((l) => l.type === 'book' && l.symbol === 'BTC/USDT' && l.bids.length === 5));
  assert.match(lines[0]!.bids[0]!.price, /^\d+\.\d+$/);
});

test('watch --json prints USD-M trades', async () => {
  const lines = await watchJson(['trades', 'ETH/USDT:USDT', '--count', '2']);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l['type'] === 'trade' && l['symbol'] === 'ETH/USDT:USDT' && /^(buy|sell)$/.test(l['side'] as string)));
});

test('watch --json follows a Bybit linear book typed as the venue id with --market linear', async () => {
  const lines = (await watchJson(['book', 'BTCUSDT', '--exchange', 'bybit', '--market', 'linear', '--count', '3', '--depth', '5'])) as unknown as BookLine[];
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.event, 'snapshot');
  assert.ok(lines.every((l) => l.type === 'book' && l.symbol === 'BTC/USDT:USDT' && l.bids.length === 5 && l.asks.length === 5));
  assert.ok(Decimal.from(lines[0]!.bids[0]!.price).lt(lines[0]!.asks[0]!.price), 'best bid below best ask');
});

test('watch --json prints Bybit inverse tickers and spot trades', async () => {
  const tickers = await watchJson(['ticker', 'BTC/USD:BTC', '--exchange', 'bybit', '--count', '2']);
  assert.equal(tickers.length, 2);
  assert.ok(tickers.every((l) => l['type'] === 'ticker' && l['symbol'] === 'BTC/USD:BTC' && /^\d+(\.\d+)?$/.test(String(l['last']))));
  const trades = await watchJson(['trades', 'BTCUSDT', '--exchange', 'bybit', '--count', '2']);
  assert.ok(trades.length === 2 && trades.every((l) => l['type'] === 'trade' && l['symbol'] === 'BTC/USDT'));
});

test('watch --json resolves an OKX instrument id without --market and follows its book and trades', async () => {
  const books = (await watchJson(['book', 'BTC-USDT-SWAP', '--exchange', 'okx', '--count', '2', '--depth', '3'])) as unknown as BookLine[];
  assert.equal(books.length, 2);
  assert.ok(books.every((l) => l.type === 'book' && l.symbol === 'BTC/USDT:USDT' && l.bids.length === 3));
  const trades = await watchJson(['trades', 'btc-usdt', '--exchange', 'okx', '--market', 'spot', '--count', '2']);
  assert.ok(trades.length === 2 && trades.every((l) => l['type'] === 'trade' && l['symbol'] === 'BTC/USDT' && typeof l['price'] === 'string'));
});

test('watch --endpoints takes the JSON line of a running simulator for Bybit and OKX', async () => {
  await using sim = await startSimulator({ seed: 3, symbols: ['BTC/USDT', 'BTC/USDT:USDT'] });
  const endpoints = JSON.stringify(sim.endpoints);
  const okxCandles = await watchJson(['candles', 'BTC/USDT', '--exchange', 'okx', '--endpoints', endpoints, '--count', '1']);
  assert.ok(okxCandles.length === 1 && okxCandles[0]!['type'] === 'candle' && okxCandles[0]!['symbol'] === 'BTC/USDT');
  const bybitTickers = await watchJson(['ticker', 'BTC/USDT:USDT', '--exchange', 'bybit', '--endpoints', endpoints, '--count', '1']);
  assert.ok(bybitTickers.length === 1 && bybitTickers[0]!['symbol'] === 'BTC/USDT:USDT');
  assert.ok((sim.stats.rest['okx']?.total ?? 0) > 0 && (sim.stats.rest['bybit']?.total ?? 0) > 0, 'both venues were served by this simulator');
  const { okx: _okx, ...withoutOkx } = sim.endpoints;
  await assert.rejects(watchCommand(['ticker', 'BTC/USDT', '--exchange', 'okx', '--endpoints', JSON.stringify(withoutOkx)], sink().stream), /no "okx" entry/);
});

test('watch rejects an unknown --exchange, --market or --env before connecting, naming the valid ones', async () => {
  const out = sink();
  await assert.rejects(watchCommand(['book', 'BTC/USDT', '--exchange', 'kraken'], out.stream), (e: Error & { code?: string }) => e.code === 'invalid-argument' && /--exchange kraken: use binance, bybit, okx/.test(e.message));
  await assert.rejects(watchCommand(['book', 'BTCUSDT', '--exchange', 'bybit', '--market', 'usdm'], out.stream), /--market usdm: bybit markets are spot, linear, inverse/);
  await assert.rejects(watchCommand(['book', 'BTC-USDT', '--exchange', 'okx', '--market', 'linear'], out.stream), /--market linear: okx markets are spot, swap, futures/);
  await assert.rejects(watchCommand(['book', 'BTC-USDT', '--exchange', 'okx', '--env', 'testnet'], out.stream), /--env testnet: okx environments are sim, production, demo/);
  assert.equal(out.text(), '');
});

test('watch reports a venue id the chosen market does not list', async () => {
  await assert.rejects(watchCommand(['book', 'BTC-USDT-SWAP', '--exchange', 'okx', '--market', 'spot'], sink().stream), (e: Error & { code?: string }) => e.code === 'not-found' && /no okx spot market with id BTC-USDT-SWAP/.test(e.message));
});

test('the demo says what it shows and how long it takes, syncs spot and perpetual books on all three venues, survives an injected gap and a dropped connection, trades on each venue, prints prices at the market precision, and ends by itself', async () => {
  const r = await run(['demo', '--duration', '4'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const text = r.stdout;
  assert.match(text.split('\n')[0] as string, /^venuekit demo: a tour of Binance, Bybit and OKX on an embedded simulator, about 4 s: markets and tickers, live spot and perpetual books checked on every update, trades, an injected sequence gap and dropped connections healing, and one trading round per venue \(Ctrl-C ends it early\)\.$/);
  for (const venue of ['binance', 'bybit', 'okx']) {
    assert.match(text, new RegExp(`^${venue}: simulator REST http://127\\.0\\.0\\.1:\\d+; \\d+ markets`, 'm'));
    assert.match(text, new RegExp(`^${venue}: book BTC/USDT synced at update id \\d+`, 'm'));
    assert.match(text, new RegExp(`^${venue}: book BTC/USDT:USDT synced at update id \\d+`, 'm'));
    assert.match(text, new RegExp(`! ${venue}: book BTC/USDT:USDT rebuilt from a fresh snapshot \\(gap\\)`));
    assert.match(text, new RegExp(`! ${venue}: \\S+ connection back after \\d+ ms, subscriptions restored`));
    const summary = new RegExp(`^${venue}: BTC/USDT (\\d+) updates, BTC/USDT:USDT (\\d+) updates, (\\d+) BTC/USDT trades`, 'm').exec(text);
    assert.ok(summary !== null, `${venue} summary line`);
    assert.ok(Number(summary[1]) > 2 && Number(summary[2]) > 2, `${venue} books kept updating: ${summary[0]}`);
    assert.match(text, new RegExp(`^${venue}: post-only buy 0\\.002 BTC/USDT @ [\\d.]+ is new \\(id \\d+, client id \\S+\\)$`, 'm'));
    assert.match(text, new RegExp(`^${venue}: cancelled by client order id -> cancelled$`, 'm'));
    assert.match(text, new RegExp(`^${venue}: market buy 0\\.002 BTC/USDT -> filled, [1-9]\\d* fill\\(s\\) on the private stream`, 'm'));
    // Prices at the market's precision: as many decimals as the tick the demo prints (today: 64999.960000000000).
    const venueText = text.split('\n').filter((l) => l.startsWith(`${venue}:`) || l.startsWith('  BTC/USDT tick')).join('\n');
    const tick = /^ {2}BTC\/USDT tick (\S+) step/m.exec(text.slice(text.indexOf(`${venue}: simulator REST`)));
    assert.ok(tick !== null, `${venue} tick line`);
    const decimals = (tick[1] as string).split('.')[1]?.length ?? 0;
    const prices = [
      ...[.../ticker last (\S+) bid (\S+) ask (\S+)/.exec(text.slice(text.indexOf(`${venue}: simulator REST`))) ?? []].slice(1),
      .../@ (\S+) is new/.exec(venueText)!.slice(1),
      .../average (\S+)/.exec(venueText)!.slice(1),
    ];
    assert.equal(prices.length, 5, `${venue} prices found`);
    for (const p of prices) assert.match(p as string, new RegExp(`^\\d+\\.\\d{${decimals}}$`), `${venue} price ${p} has ${decimals} decimals`);
  }
  for (const m of text.matchAll(/^t\+\d+s {2}BTC\/USDT bid\/ask: (.*) {2}\(/gm)) {
    for (const top of (m[1] as string).matchAll(/(\d+\.\d+|-)\/(\d+\.\d+|-)/g)) for (const p of top.slice(1)) assert.match(p as string, /^(-|\d+\.\d{2})$/, `top of book ${p}`);
  }
  assert.match(text, /^trading: 3 of 3 venues traded, 6 orders and [3-9]\d* fills on the venues; orders or fills the client got wrong: 0\.$/m);
  assert.match(text, /^done: \d+ book updates seen, \d+ trades; crossed books shown: 0, books going back in sequence: 0\.$/m);
});
