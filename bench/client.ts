/**
 * One benchmark client process: venuekit, ccxt or the raw ceiling (ws receive + JSON.parse), watching one
 * order book on the simulator's Binance (whole book), Bybit (`orderbook.1000`) or OKX (`books`, 400). Records
 * (monotonic ns, book id: Binance / Bybit `u`, OKX `seqId`) at every consumer wakeup and talks to the
 * orchestrator with JSON lines: prints `ready` once synced, takes `{"target":id}` on stdin, prints `done` with
 * its records and top of book once its book reflects `target`.
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { Exchange } from '../src/client/exchange.js';

type ClientName = 'venuekit' | 'ccxt' | 'raw';
type Venue = 'binance' | 'bybit' | 'okx';

interface Args {
  client: ClientName;
  venue: Venue;
  /** Binance: the spot segment's `{ rest, ws }`; Bybit / OKX: the simulator's endpoints for the venue. */
  endpoints: Record<string, unknown>;
  symbol: string;
  id: string;
  depth: number;
}

interface BybitEndpoints {
  rest: string;
  ws: { spot: string; linear: string; inverse: string; private: string };
}
interface OkxEndpoints {
  rest: string;
  ws: string;
  public: string;
  business: string;
  private: string;
}

const args = JSON.parse(process.argv[2] as string) as Args;
const MAX = 4_000_000;
const times = new Float64Array(MAX);
const seqs = new Float64Array(MAX);
let n = 0;
let target = Infinity;
let ready = false;
let finished = false;
let cpuAtReady: NodeJS.CpuUsage | undefined;
let top: { bids: string[][]; asks: string[][] } | undefined;
/** Levels per side the client holds when it reaches the target (is it really keeping the whole book?). */
let held: { bids: number; asks: number } | undefined;
let onTarget: () => void = () => {};
const reachedTarget = new Promise<void>((r) => (onTarget = r));

function send(msg: unknown): void {
  process.stdout.write(JSON.stringify(msg) + '\n');
}

/** Called at every consumer wakeup with the id the visible book reflects. */
function record(seq: number, topOf: () => { bids: string[][]; asks: string[][] }, heldOf?: () => { bids: number; asks: number }): void {
  const t = Number(process.hrtime.bigint());
  if (!ready) {
    ready = true;
    cpuAtReady = process.cpuUsage();
    send({ ready: true, seq });
  }
  if (n < MAX) {
    times[n] = t;
    seqs[n] = seq;
    n++;
  }
  if (!finished && seq >= target) {
    finished = true;
    top = topOf();
    held = heldOf?.();
    onTarget();
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line) as { target?: number };
  if (typeof msg.target === 'number') {
    target = msg.target;
    if (n > 0 && (seqs[n - 1] as number) >= target && !finished) {
      finished = true;
      onTarget();
    }
  }
});

async function runVenuekit(signal: AbortSignal): Promise<void> {
  let ex: Exchange;
  if (args.venue === 'bybit') {
    const { bybit } = await import('../src/client/bybit.js');
    ex = bybit({ urls: args.endpoints as unknown as BybitEndpoints, categories: ['linear'] });
  } else if (args.venue === 'okx') {
    const { okx } = await import('../src/client/okx.js');
    ex = okx({ urls: args.endpoints as unknown as OkxEndpoints, instTypes: ['SPOT'] });
  } else {
    const { binance } = await import('../src/client/binance.js');
    const e = args.endpoints as { rest: string; ws: string };
    const local = { rest: e.rest, ws: e.ws, wsApi: e.ws };
    ex = binance({ urls: { spot: local, usdm: local }, segments: ['spot'] });
  }
  await ex.loadMarkets();
  try {
    for await (const book of ex.watchOrderBook(args.symbol, { depth: args.depth, signal })) {
      record(Number(book.seq), () => ({
        bids: book.bids(25).map((l) => [l.price.toString(), l.amount.toString()]),
        asks: book.asks(25).map((l) => [l.price.toString(), l.amount.toString()]),
      }), () => ({ bids: book.bidCount, asks: book.askCount }));
    }
  } finally {
    await ex.close();
  }
}

/**
 * ccxt pointed at the simulator: the URL rewrite keeps the original host as the first path segment. ccxt's
 * Bybit book carries no id, so its `handleOrderBook` is wrapped to note the `u` of the last frame it applied.
 */
async function runCcxt(): Promise<void> {
  const ccxt = (await import('ccxt')).default as unknown as { pro: Record<string, new (o: unknown) => CcxtExchange> };
  const types = { binance: ['spot'], bybit: ['linear'], okx: ['spot'] }[args.venue];
  const ex = new ccxt.pro[args.venue]!({ options: { fetchMarkets: { types } } });
  if (args.venue === 'binance') {
    const e = args.endpoints as { rest: string; ws: string };
    ex.urls['api'] = localize(ex.urls['api'], new URL(e.rest).host, new URL(e.ws).host);
  } else {
    const host = new URL(args.endpoints['rest'] as string).host;
    ex.urls['api'] = localize(ex.urls['api'], host, host);
  }
  let bybitU = NaN;
  if (args.venue === 'bybit') {
    const original = ex.handleOrderBook.bind(ex);
    ex.handleOrderBook = (client: unknown, message: { data?: { u?: number } }) => {
      original(client, message);
      bybitU = Number(message.data?.u);
    };
  }
  await ex.loadHttpProxyAgent();
  await ex.loadMarkets();
  try {
    for (;;) {
      const ob = await ex.watchOrderBook(args.symbol, args.depth);
      record(
        args.venue === 'bybit' ? bybitU : Number(ob.nonce),
        () => ({ bids: ob.bids.slice(0, 25).map(fmtFloatLevel), asks: ob.asks.slice(0, 25).map(fmtFloatLevel) }),
        () => ({ bids: ob.bids.length, asks: ob.asks.length }),
      );
    }
  } finally {
    await ex.close();
  }
}

interface CcxtExchange {
  urls: Record<string, unknown>;
  loadHttpProxyAgent(): Promise<void>;
  loadMarkets(): Promise<unknown>;
  watchOrderBook(symbol: string, limit: number): Promise<{ nonce: number; bids: number[][]; asks: number[][] }>;
  handleOrderBook(client: unknown, message: unknown): void;
  close(): Promise<void>;
}

function fmtFloatLevel(l: number[]): string[] {
  return [String(l[0]), String(l[1])];
}

function localize(node: unknown, restHost: string, wsHost: string): unknown {
  if (typeof node === 'string') {
    const m = /^(wss?|https?):\/\/([^/]+)(\/.*)?$/.exec(node);
    if (m === null) return node;
    const ws = (m[1] as string).startsWith('ws');
    return `${ws ? 'ws' : 'http'}://${ws ? wsHost : restHost}/${m[2]}${m[3] ?? ''}`;
  }
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, localize(v, restHost, wsHost)]));
  }
  return node;
}

/** The transport ceiling: receive + JSON.parse + read the id, nothing else. */
async function runRaw(): Promise<void> {
  const { url, subscribe, idOf } = rawChannel();
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify(subscribe));
  const noTop = () => ({ bids: [], asks: [] });
  ws.on('message', (data: Buffer) => {
    const id = idOf(JSON.parse(data.toString()));
    if (typeof id === 'number') record(id, noTop);
  });
  ws.on('close', (code, reason) => {
    if (!finished) send({ error: `raw client: connection closed ${code} ${reason.toString()} after ${n} wakeups` });
  });
  await new Promise(() => {}); // stays connected until the orchestrator ends the process
}

/** Each venue's book channel: where, the subscribe request, and where a frame carries its id. */
function rawChannel(): { url: string; subscribe: unknown; idOf: (msg: unknown) => unknown } {
  if (args.venue === 'bybit') {
    const e = args.endpoints as unknown as BybitEndpoints;
    return { url: e.ws.linear, subscribe: { op: 'subscribe', args: [`orderbook.${args.depth}.${args.id}`] }, idOf: (m) => (m as { data?: { u?: number } }).data?.u };
  }
  if (args.venue === 'okx') {
    const e = args.endpoints as unknown as OkxEndpoints;
    return { url: e.public, subscribe: { op: 'subscribe', args: [{ channel: 'books', instId: args.id }] }, idOf: (m) => (m as { data?: Array<{ seqId?: number }> }).data?.[0]?.seqId };
  }
  return {
    url: `${args.endpoints['ws'] as string}/stream`,
    subscribe: { method: 'SUBSCRIBE', params: [`${args.id.toLowerCase()}@depth@100ms`], id: 1 },
    idOf: (m) => (m as { data?: { u?: number } }).data?.u,
  };
}

async function main(): Promise<void> {
  // The orchestrator ends a profiled client with SIGTERM: exit normally so `--cpu-prof` writes its file.
  process.on('SIGTERM', () => {
    finished = true;
    process.exit(0);
  });
  process.on('exit', (code) => {
    if (!finished) process.stderr.write(`[${args.client}] exiting (${code}) before reaching the target: ${n} wakeups, last ${seqs[n - 1]}\n`);
  });
  if (process.env['BENCH_DEBUG']) {
    setInterval(() => process.stderr.write(`[${args.client}] wakeups ${n} last ${seqs[n - 1]} target ${target}\n`), 1000).unref();
  }
  const controller = new AbortController();
  const run = args.client === 'venuekit' ? runVenuekit(controller.signal) : args.client === 'ccxt' ? runCcxt() : runRaw();
  await reachedTarget;
  const cpu = process.cpuUsage(cpuAtReady);
  send({
    done: true,
    cpuUs: cpu.user + cpu.system,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    times: Array.from(times.subarray(0, n)),
    seqs: Array.from(seqs.subarray(0, n)),
    top,
    held,
  });
  // Stay connected (the simulator may still be writing); the orchestrator kills this process.
  await run.catch(() => undefined);
  controller.abort();
}

main().catch((err: unknown) => {
  send({ error: err instanceof Error ? err.stack : String(err) });
  process.exit(1);
});
