/**
 * One benchmark client process: venuekit, ccxt or the raw ceiling (ws receive + JSON.parse), watching the
 * simulator's Binance order book. Records (monotonic ns, book update id) at every consumer wakeup and talks
 * to the orchestrator with JSON lines: prints `ready` once synced, takes `{"target":id}` on stdin, prints
 * `done` with its records and top of book once its book reflects `target`.
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

type ClientName = 'venuekit' | 'ccxt' | 'raw';

interface Args {
  client: ClientName;
  endpoints: { rest: string; ws: string };
  symbol: string;
  id: string;
  depth: number;
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
  const { binance } = await import('../src/client/binance.js');
  const local = { rest: args.endpoints.rest, ws: args.endpoints.ws, wsApi: args.endpoints.ws };
  const ex = binance({ urls: { spot: local, usdm: local }, segments: ['spot'] });
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

/** ccxt pointed at the simulator: the URL rewrite keeps the original host as the first path segment. */
async function runCcxt(): Promise<void> {
  const ccxt = (await import('ccxt')).default as unknown as { pro: Record<string, new (o: unknown) => CcxtExchange> };
  const rest = new URL(args.endpoints.rest);
  const wsUrl = new URL(args.endpoints.ws);
  const ex = new ccxt.pro['binance']!({ options: { fetchMarkets: { types: ['spot'] } } });
  ex.urls['api'] = localize(ex.urls['api'], rest.host, wsUrl.host);
  await ex.loadHttpProxyAgent();
  await ex.loadMarkets();
  try {
    for (;;) {
      const ob = await ex.watchOrderBook(args.symbol, args.depth);
      const nonce = Number(ob.nonce);
      record(
        nonce,
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
  const ws = new WebSocket(`${args.endpoints.ws}/stream`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: [`${args.id.toLowerCase()}@depth@100ms`], id: 1 }));
  const noTop = () => ({ bids: [], asks: [] });
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { data?: { u?: number } };
    const u = msg.data?.u;
    if (typeof u === 'number') record(u, noTop);
  });
  ws.on('close', (code, reason) => {
    if (!finished) send({ error: `raw client: connection closed ${code} ${reason.toString()} after ${n} wakeups` });
  });
  await new Promise(() => {}); // stays connected until the orchestrator ends the process
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
