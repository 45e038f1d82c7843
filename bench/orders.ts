/**
 * `npm run bench:orders`: the order path against the simulator in its own process, per venue: a post-only limit
 * placed away from the market then cancelled, `--orders` times, one at a time; venuekit (pre-trade checks, signing,
 * tracking through the state machine) next to ccxt 4.5.84 on the same front end. Reports place and cancel latency
 * (p50/p99 ms) and the client's CPU per place+cancel, kept under the venue's order-rate limit; then a burst of
 * `--burst` place+cancel round trips as fast as the client goes, counting the venue's refusals (a rate-limit
 * governor should draw none). Writes `bench/results/orders-<time>.json`.
 *
 * Options: --venues binance,bybit,okx --orders 60 --burst 150 --clients venuekit,ccxt
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ccxt from 'ccxt';
import { binance } from '../src/client/binance.js';
import { bybit } from '../src/client/bybit.js';
import type { Exchange } from '../src/client/exchange.js';
import { okx } from '../src/client/okx.js';
import type { SimulatorEndpoints } from '../src/testing/sim/server.js';
import { SIM_DEMO_ACCOUNT } from '../src/testing/sim/server.js';
import { localizeCcxtUrls } from '../test/helpers/ccxt-urls.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
function opt(name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
}
type Venue = 'binance' | 'bybit' | 'okx';
const VENUES = opt('venues', 'binance,bybit,okx').split(',') as Venue[];
const ORDERS = Number(opt('orders', '60'));
const BURST = Number(opt('burst', '150'));
/** Binance spot's order-count window (100 per 10 s) is the tightest; a run waits it out before the next. */
const ORDER_WINDOW_MS = 10_500;
const CLIENTS = opt('clients', 'venuekit,ccxt').split(',');
const SYMBOL = 'BTC/USDT';
const AMOUNT = '0.002';

interface Result {
  readonly venue: Venue;
  readonly client: string;
  readonly orders: number;
  readonly placeMs: { p50: number; p99: number };
  readonly cancelMs: { p50: number; p99: number };
  /** Client CPU (user + system) per place + cancel, µs. */
  readonly cpuUsPerRoundTrip: number;
  /** The burst: round trips tried, refused by the venue (by error text), and how long it took. */
  readonly burst: { readonly tried: number; readonly refused: number; readonly firstRefusal?: string; readonly seconds: number };
}

/** A round trip: place returns an id, cancel takes it. Prices are decimal strings on the tick. */
interface Driver {
  place(price: string): Promise<string>;
  cancel(id: string): Promise<void>;
  bid(): Promise<string>;
  close(): Promise<void>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function startSim(): Promise<{ endpoints: SimulatorEndpoints; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'sim', '--symbols', '2', '--venues', VENUES.includes('binance') ? VENUES.join(',') : ['binance', ...VENUES].join(',')], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { endpoints: JSON.parse(line) as SimulatorEndpoints, stop: () => child.kill('SIGTERM') };
}

async function venuekitDriver(venue: Venue, endpoints: SimulatorEndpoints): Promise<Driver> {
  const credentials = SIM_DEMO_ACCOUNT;
  const ex: Exchange =
    venue === 'binance' ? binance({ urls: endpoints.binance, credentials, segments: ['spot'] }) : venue === 'bybit' ? bybit({ urls: endpoints.bybit as never, credentials, categories: ['spot'] }) : okx({ urls: endpoints.okx as never, credentials, instTypes: ['SPOT'] });
  await ex.loadMarkets();
  return {
    place: async (price) => (await ex.createOrder(SYMBOL, 'limit', 'buy', AMOUNT, price, { postOnly: true })).id as string,
    cancel: async (id) => void (await ex.cancelOrder(id, SYMBOL)),
    bid: async () => (await ex.fetchTicker(SYMBOL)).bid?.toString() ?? '0',
    close: () => ex.close(),
  };
}

interface CcxtLike {
  urls: { api: unknown };
  has: Record<string, unknown>;
  apiKey: string;
  secret: string;
  loadMarkets(): Promise<unknown>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: object): Promise<{ id: string }>;
  cancelOrder(id: string, symbol: string): Promise<unknown>;
  fetchTicker(symbol: string): Promise<{ bid?: number }>;
  close?(): Promise<void>;
}

async function ccxtDriver(venue: Venue, endpoints: SimulatorEndpoints): Promise<Driver> {
  const classes = ccxt as unknown as Record<string, new (config: object) => CcxtLike>;
  const Cls = classes[venue] as new (config: object) => CcxtLike;
  const options: Record<Venue, object> = {
    binance: { defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false, adjustForTimeDifference: false },
    bybit: { enableUnifiedAccount: true, enableUnifiedMargin: false, fetchMarkets: { types: ['spot'] } },
    okx: { createOrder: 'privatePostTradeOrder', fetchMarkets: { types: ['spot'] } },
  };
  const ex = new Cls({ options: options[venue], ...(venue === 'okx' ? { password: SIM_DEMO_ACCOUNT.passphrase } : {}) });
  const rest = venue === 'binance' ? endpoints.binance.spot.rest : venue === 'bybit' ? (endpoints.bybit as { rest: string }).rest : (endpoints.okx as { rest: string }).rest;
  ex.urls.api = localizeCcxtUrls(ex.urls.api, () => new URL(rest).host);
  ex.has['fetchCurrencies'] = false;
  await ex.loadMarkets();
  ex.apiKey = SIM_DEMO_ACCOUNT.apiKey;
  ex.secret = SIM_DEMO_ACCOUNT.secret;
  const params = venue === 'binance' ? {} : venue === 'bybit' ? { timeInForce: 'PostOnly' } : { postOnly: true };
  return {
    place: async (price) => (await ex.createOrder(SYMBOL, venue === 'binance' ? 'LIMIT_MAKER' : 'limit', 'buy', Number(AMOUNT), Number(price), params)).id,
    cancel: async (id) => void (await ex.cancelOrder(id, SYMBOL)),
    bid: async () => String((await ex.fetchTicker(SYMBOL)).bid ?? 0),
    close: async () => void (await ex.close?.()),
  };
}

async function run(venue: Venue, client: string, driver: Driver): Promise<Result> {
  const bid = Number((await driver.bid()).split('.')[0]);
  // 5 % below the bid, whole dollars: on the tick of every venue's BTC/USDT, never marketable.
  const price = `${Math.floor(bid * 0.95)}`;
  for (let i = 0; i < 10; i++) await driver.cancel(await driver.place(price)); // warm-up
  const place: number[] = [];
  const cancel: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < ORDERS; i++) {
    const t0 = performance.now();
    const id = await driver.place(price);
    const t1 = performance.now();
    await driver.cancel(id);
    place.push(t1 - t0);
    cancel.push(performance.now() - t1);
  }
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, ORDER_WINDOW_MS));
  let refused = 0;
  let firstRefusal: string | undefined;
  const b0 = performance.now();
  for (let i = 0; i < BURST; i++) {
    try {
      await driver.cancel(await driver.place(price));
    } catch (err) {
      refused++;
      firstRefusal ??= (err instanceof Error ? err.message : String(err)).slice(0, 160);
    }
  }
  const burstSeconds = (performance.now() - b0) / 1000;
  await new Promise((r) => setTimeout(r, ORDER_WINDOW_MS));
  place.sort((a, b) => a - b);
  cancel.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 1000) / 1000;
  return {
    venue,
    client,
    orders: ORDERS,
    placeMs: { p50: ms(percentile(place, 0.5)), p99: ms(percentile(place, 0.99)) },
    cancelMs: { p50: ms(percentile(cancel, 0.5)), p99: ms(percentile(cancel, 0.99)) },
    cpuUsPerRoundTrip: Math.round((cpu.user + cpu.system) / ORDERS),
    burst: { tried: BURST, refused, ...(firstRefusal === undefined ? {} : { firstRefusal }), seconds: Math.round(burstSeconds * 100) / 100 },
  };
}

const sim = await startSim();
const results: Result[] = [];
try {
  for (const venue of VENUES) {
    for (const client of CLIENTS) {
      const driver = client === 'venuekit' ? await venuekitDriver(venue, sim.endpoints) : await ccxtDriver(venue, sim.endpoints);
      try {
        const r = await run(venue, client, driver);
        results.push(r);
        console.log(`${venue.padEnd(8)} ${client.padEnd(9)} place p50 ${r.placeMs.p50} ms p99 ${r.placeMs.p99} ms | cancel p50 ${r.cancelMs.p50} ms p99 ${r.cancelMs.p99} ms | client CPU ${r.cpuUsPerRoundTrip} µs per place+cancel (${r.orders} orders) | burst ${r.burst.tried} in ${r.burst.seconds} s, ${r.burst.refused} refused${r.burst.firstRefusal === undefined ? '' : ` (${r.burst.firstRefusal})`}`);
      } finally {
        await driver.close();
      }
    }
  }
} finally {
  sim.stop();
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, 'bench/results', `orders-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, orders: ORDERS, results }, null, 2));
console.log(`written ${file}`);
