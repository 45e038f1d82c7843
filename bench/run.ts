/**
 * `npm run bench`: the book pipeline (WS frame → consumer-visible book) against the simulator, each client and
 * the simulator in their own processes, on the same deterministic market stream (a ~5,000-level book, 10–20
 * changed levels per update) per venue: Binance spot raw diffs (the whole book), Bybit linear `orderbook.1000`
 * and OKX `books` (400) window diffs. Flood throughput, latency at a paced rate, venuekit vs ccxt vs the raw
 * ceiling (ws receive + JSON.parse). Prints a table per venue and writes `bench/results/book-<time>.json`.
 *
 * Options: --venues binance,bybit,okx --updates 200000 --rate 10000 --paced-seconds 5 --clients venuekit,ccxt,raw
 * --modes flood,paced --runs 1 --sim-root <dir> (run the simulator from another checkout, e.g. a clean
 * `git archive` while the tree is in flux). BENCH_CPU_PROF=<dir> writes V8 CPU profiles of each client process
 * (one file per thread) under it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize, latencies, throughput } from './stats.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
function opt(name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
}
const UPDATES = Number(opt('updates', '200000'));
const RATE = Number(opt('rate', '10000'));
const PACED_SECONDS = Number(opt('paced-seconds', '5'));
const CLIENTS = opt('clients', 'venuekit,raw,ccxt').split(',') as Array<'venuekit' | 'ccxt' | 'raw'>;
const MODES = opt('modes', 'flood,paced').split(',') as Array<'flood' | 'paced'>;
const RUNS = Number(opt('runs', '1'));
const SIM_ROOT = opt('sim-root', root);
const LEVELS = 5000;
const PRELUDE = 600;

type Venue = 'binance' | 'bybit' | 'okx';

/** What is benched on each venue: the symbol, the book depth the clients keep and how the venue publishes it. */
const VENUES: Record<Venue, { symbol: string; depth: number; stream: string }> = {
  binance: { symbol: 'BTC/USDT', depth: LEVELS, stream: 'spot btcusdt@depth@100ms: raw changes of the whole book' },
  bybit: { symbol: 'BTC/USDT:USDT', depth: 1000, stream: 'linear orderbook.1000.BTCUSDT: diffs of the top-1000 window' },
  okx: { symbol: 'BTC/USDT', depth: 400, stream: 'SPOT books BTC-USDT: diffs of the top-400 window' },
};
const VENUE_LIST = opt('venues', 'binance,bybit,okx').split(',') as Venue[];
for (const v of VENUE_LIST) if (VENUES[v] === undefined) throw new Error(`--venues: unknown venue ${v}`);

interface Lines {
  next(): Promise<Record<string, unknown>>;
}

function lines(child: ChildProcess): Lines {
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<(v: Record<string, unknown>) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const w = waiters.shift();
    if (w) w(msg);
    else queue.push(msg);
  });
  return {
    next: () => {
      const m = queue.shift();
      return m !== undefined ? Promise.resolve(m) : new Promise((r) => waiters.push(r));
    },
  };
}

const CPU_PROF = process.env['BENCH_CPU_PROF'];

function node(script: string, args: string[], cwd = root, flags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...flags, '--import', 'tsx', join(cwd, script), ...args], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
}

async function control(base: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  const json = (await r.json()) as Record<string, unknown>;
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitBenchDone(base: string): Promise<Record<string, unknown>> {
  for (;;) {
    const r = await control(base, 'GET', '/_sim/bench/result');
    if (r['state'] === 'done' || r['state'] === 'failed') return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Starts the prelude once the client's depth subscription exists on the simulator. */
async function startWhenSubscribed(base: string, venue: Venue): Promise<void> {
  for (;;) {
    try {
      await control(base, 'POST', '/_sim/bench/start', { venue, ratePerSec: 1000 });
      return;
    } catch (err) {
      if (!String(err).includes('no connection is subscribed')) throw err;
      await new Promise((res) => setTimeout(res, 50));
    }
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`timed out: ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** One venue × client × mode: fresh simulator, prelude to sync, then the measured segment. */
async function runOne(venue: Venue, client: string, mode: 'flood' | 'paced'): Promise<Record<string, unknown>> {
  const { symbol, depth } = VENUES[venue];
  // Binance is always served (the simulator needs it); for another venue its market is paused below.
  const sim = node('src/cli/main.ts', ['sim', '--seed', '1', '--symbols', '4', '--venues', venue === 'binance' ? 'binance' : `binance,${venue}`], SIM_ROOT);
  try {
    const endpoints = (await withTimeout(lines(sim).next(), 30_000, 'simulator start')) as Record<string, unknown> & { binance: { spot: unknown }; control: string };
    const base = endpoints.control;
    if (venue !== 'binance') await control(base, 'POST', '/_sim/market', { venue: 'binance', action: 'pause' });
    const prepared = await control(base, 'POST', '/_sim/bench/prepare', { venue, symbol, updates: PRELUDE, levels: LEVELS });
    const profile = CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF, `${venue}-${client}-${mode}-${Date.now()}`)}`];
    const clientEndpoints = venue === 'binance' ? endpoints.binance.spot : endpoints[venue];
    const c = node('bench/client.ts', [JSON.stringify({ client, venue, endpoints: clientEndpoints, symbol, id: prepared['id'], depth })], root, profile);
    const out = lines(c);
    try {
      // Prelude: a slow stream the client syncs on (snapshot + buffered deltas), as a real session starts.
      await withTimeout(startWhenSubscribed(base, venue), 60_000, `${client} subscription`);
      const ready = await withTimeout(out.next(), 60_000, `${client} ready`);
      if (ready['ready'] !== true) throw new Error(`${client}: ${JSON.stringify(ready)}`);
      await waitBenchDone(base);
      const count = mode === 'flood' ? UPDATES : RATE * PACED_SECONDS;
      await control(base, 'POST', '/_sim/bench/prepare', { venue, symbol, updates: count });
      const plan = await control(base, 'GET', '/_sim/bench/result');
      const ids = plan['lastUpdateIds'] as number[];
      c.stdin!.write(JSON.stringify({ target: ids[ids.length - 1] }) + '\n');
      await control(base, 'POST', '/_sim/bench/start', { venue, ratePerSec: mode === 'flood' ? 0 : RATE });
      const done = await withTimeout(out.next(), 600_000, `${client} done`);
      if (done['done'] !== true) throw new Error(`${client}: ${JSON.stringify(done).slice(0, 500)}`);
      const result = await waitBenchDone(base);
      const writes = (result['writeTimesNs'] as string[]).map(Number);
      const seqIds = result['lastUpdateIds'] as number[];
      if (seqIds[seqIds.length - 1] !== ids[ids.length - 1]) throw new Error(`the stream's last id ${seqIds[seqIds.length - 1]} is not the announced ${ids[ids.length - 1]}`);
      const times = done['times'] as number[];
      const seqs = done['seqs'] as number[];
      const lastId = seqIds[seqIds.length - 1] as number;
      let fidelity = 'n/a';
      const top = done['top'] as { bids: string[][]; asks: string[][] } | undefined;
      if (top !== undefined && top.bids.length > 0) {
        const truth = await control(base, 'GET', `/_sim/bench/book?id=${lastId}`);
        fidelity = sameTop(top, truth as { bids: string[][]; asks: string[][] }) ? 'exact top 25' : 'MISMATCH';
        if (process.env['BENCH_DEBUG'] && fidelity === 'MISMATCH') process.stderr.write(JSON.stringify({ client: top.bids.slice(0, 3), truth: (truth as { bids: string[][] }).bids.slice(0, 3), clientAsk: top.asks.slice(0, 3), truthAsk: (truth as { asks: string[][] }).asks.slice(0, 3), lastId, snapshotId: truth['snapshotId'] }) + '\n');
      }
      const row: Record<string, unknown> = { venue, client, mode, updates: result['updates'], messages: seqIds.length, bytesPerMessage: Math.round(Number(result['bytesPerTarget']) / seqIds.length), fidelity, cpuUsPerMsg: Number(done['cpuUs']) / seqIds.length, maxRssMb: done['maxRssMb'], held: done['held'] };
      if (mode === 'flood') row['msgsPerSec'] = throughput(writes, seqIds, times, seqs);
      else Object.assign(row, summarize(latencies(writes, seqIds, times, seqs)), { ratePerSec: RATE });
      return row;
    } finally {
      // A profiled client exits on SIGTERM (so V8 writes the profile); give it a moment before the kill.
      if (CPU_PROF !== undefined) {
        c.kill('SIGTERM');
        await new Promise((res) => setTimeout(res, 3000));
      }
      c.kill('SIGKILL');
    }
  } finally {
    sim.kill('SIGTERM');
  }
}

function sameTop(a: { bids: string[][]; asks: string[][] }, b: { bids: string[][]; asks: string[][] }): boolean {
  const norm = (levels: string[][]) => levels.slice(0, 25).map(([p, q]) => `${Number(p)}@${Number(q)}`).join(',');
  return norm(a.bids) === norm(b.bids) && norm(a.asks) === norm(b.asks);
}

async function main(): Promise<void> {
  const rows: Array<Record<string, unknown>> = [];
  for (let run = 1; run <= RUNS; run++) {
    for (const venue of VENUE_LIST) {
      for (const mode of MODES) {
        for (const client of CLIENTS) {
          process.stderr.write(`run ${run}: ${venue} ${client} ${mode}...\n`);
          try {
            rows.push({ run, ...(await runOne(venue, client, mode)) });
          } catch (err) {
            rows.push({ run, venue, client, mode, error: err instanceof Error ? err.message : String(err) });
          }
        }
      }
    }
  }
  const venues: Record<string, unknown> = {};
  for (const venue of VENUE_LIST) {
    const of = (c: string, mode: string, key: string) => median(rows.filter((r) => r['venue'] === venue && r['client'] === c && r['mode'] === mode).map((r) => Number(r[key])));
    venues[venue] = {
      symbol: VENUES[venue].symbol,
      bookDepth: VENUES[venue].depth,
      stream: VENUES[venue].stream,
      ratios: { venuekitVsCcxt: of('venuekit', 'flood', 'msgsPerSec') / of('ccxt', 'flood', 'msgsPerSec'), venuekitVsRaw: of('venuekit', 'flood', 'msgsPerSec') / of('raw', 'flood', 'msgsPerSec') },
      venuekitPaced: { p50Ms: of('venuekit', 'paced', 'p50Ms'), p99Ms: of('venuekit', 'paced', 'p99Ms') },
    };
  }
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    command: `npm run bench -- ${argv.join(' ')}`.trim(),
    stream: { marketLevelsPerSide: LEVELS, changedLevelsPerUpdate: '10-20', levelMix: '~60% modify, ~20% delete, ~20% insert, ranks clustered at the top', updates: UPDATES, pacedRate: RATE, pacedSeconds: PACED_SECONDS, simulator: 'one per run; only the venue under test evolves (Binance, always served, is paused for Bybit / OKX)' },
    venues,
    rows,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, `bench/results/book-${report.when.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  for (const venue of VENUE_LIST) {
    const v = venues[venue] as { ratios: { venuekitVsCcxt: number; venuekitVsRaw: number } };
    process.stdout.write(`\n${venue}: ${VENUES[venue].symbol}, ${VENUES[venue].stream} (book depth ${VENUES[venue].depth})\n`);
    for (const r of rows.filter((x) => x['venue'] === venue)) {
      const cols = [r['client'], r['mode'], r['error'] ?? (r['mode'] === 'flood' ? `${Math.round(Number(r['msgsPerSec'])).toLocaleString('en-US')} msg/s` : `p50 ${fmtMs(r['p50Ms'])} p99 ${fmtMs(r['p99Ms'])} max ${fmtMs(r['maxMs'])} ms @ ${RATE}/s`)];
      const held = r['held'] as { bids: number; asks: number } | undefined;
      if (r['error'] === undefined) cols.push(`${Number(r['cpuUsPerMsg']).toFixed(1)} µs CPU/msg`, `${r['messages']} msgs ${r['bytesPerMessage']} B/msg`, `rss ${r['maxRssMb']} MB`, String(r['fidelity']), held === undefined ? 'held n/a' : `held ${held.bids}/${held.asks}`);
      process.stdout.write(cols.join('  |  ') + '\n');
    }
    process.stdout.write(`${venue} venuekit/ccxt flood throughput: ${v.ratios.venuekitVsCcxt.toFixed(1)}x; venuekit/raw ceiling: ${(v.ratios.venuekitVsRaw * 100).toFixed(0)}%\n`);
  }
  process.stdout.write(`written to ${file}\n`);
}

function fmtMs(v: unknown): string {
  return Number(v).toFixed(3);
}

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number);
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err) + '\n');
  process.exit(1);
});
