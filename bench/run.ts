/**
 * `npm run bench`: the Binance book pipeline (WS frame → consumer-visible book) against the simulator, each
 * client and the simulator in their own processes, on the same deterministic stream: flood throughput on a
 * 5,000-level book (10–20 changed levels per message), latency at a paced rate, venuekit vs ccxt vs the raw
 * ceiling (ws receive + JSON.parse). Prints a table and writes `bench/results/book-<time>.json`.
 *
 * Options: --updates 200000 --rate 10000 --paced-seconds 5 --clients venuekit,ccxt,raw --modes flood,paced --runs 1
 * --sim-root <dir> (run the simulator from another checkout, e.g. a clean `git archive` while the tree is in flux)
 * BENCH_CPU_PROF=<dir> writes V8 CPU profiles of each client process (one file per thread) under it.
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
const SYMBOL = 'BTC/USDT';
const LEVELS = 5000;
const PRELUDE = 600;

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
async function startWhenSubscribed(base: string): Promise<void> {
  for (;;) {
    try {
      await control(base, 'POST', '/_sim/bench/start', { ratePerSec: 1000 });
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

/** One client × mode: fresh simulator, prelude to sync, then the measured segment. */
async function runOne(client: string, mode: 'flood' | 'paced'): Promise<Record<string, unknown>> {
  const sim = node('src/cli/main.ts', ['sim', '--seed', '1', '--symbols', '4', '--venues', 'binance'], SIM_ROOT);
  try {
    const endpoints = (await withTimeout(lines(sim).next(), 30_000, 'simulator start')) as { binance: { spot: { rest: string; ws: string } }; control: string };
    const base = endpoints.control;
    const prepared = await control(base, 'POST', '/_sim/bench/prepare', { symbol: SYMBOL, updates: PRELUDE, levels: LEVELS });
    const profile = CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF, `${client}-${mode}-${Date.now()}`)}`];
    const c = node('bench/client.ts', [JSON.stringify({ client, endpoints: endpoints.binance.spot, symbol: SYMBOL, id: prepared['id'], depth: LEVELS })], root, profile);
    const out = lines(c);
    try {
      // Prelude: a slow stream the client syncs on (snapshot + buffered deltas), as a real session starts.
      await withTimeout(startWhenSubscribed(base), 60_000, `${client} subscription`);
      const ready = await withTimeout(out.next(), 60_000, `${client} ready`);
      if (ready['ready'] !== true) throw new Error(`${client}: ${JSON.stringify(ready)}`);
      await waitBenchDone(base);
      const count = mode === 'flood' ? UPDATES : RATE * PACED_SECONDS;
      await control(base, 'POST', '/_sim/bench/prepare', { symbol: SYMBOL, updates: count });
      const plan = await control(base, 'GET', '/_sim/bench/result');
      const ids = plan['lastUpdateIds'] as number[];
      c.stdin!.write(JSON.stringify({ target: ids[ids.length - 1] }) + '\n');
      await control(base, 'POST', '/_sim/bench/start', { ratePerSec: mode === 'flood' ? 0 : RATE });
      const done = await withTimeout(out.next(), 600_000, `${client} done`);
      if (done['done'] !== true) throw new Error(`${client}: ${JSON.stringify(done).slice(0, 500)}`);
      const result = await waitBenchDone(base);
      const writes = (result['writeTimesNs'] as string[]).map(Number);
      const seqIds = result['lastUpdateIds'] as number[];
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
      const row: Record<string, unknown> = { client, mode, messages: seqIds.length, fidelity, cpuUsPerMsg: Number(done['cpuUs']) / seqIds.length, maxRssMb: done['maxRssMb'], held: done['held'] };
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
    for (const mode of MODES) {
      for (const client of CLIENTS) {
        process.stderr.write(`run ${run}: ${client} ${mode}...\n`);
        try {
          rows.push({ run, ...(await runOne(client, mode)) });
        } catch (err) {
          rows.push({ run, client, mode, error: err instanceof Error ? err.message : String(err) });
        }
      }
    }
  }
  const flood = (c: string) => median(rows.filter((r) => r['client'] === c && r['mode'] === 'flood').map((r) => Number(r['msgsPerSec'])));
  const ratios = { venuekitVsCcxt: flood('venuekit') / flood('ccxt'), venuekitVsRaw: flood('venuekit') / flood('raw') };
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    command: `npm run bench -- ${argv.join(' ')}`.trim(),
    stream: { venue: 'binance spot', symbol: SYMBOL, levelsPerSide: LEVELS, changedLevelsPerMessage: '10-20', levelMix: '~60% modify, ~20% delete, ~20% insert, ranks clustered at the top', updates: UPDATES, pacedRate: RATE, pacedSeconds: PACED_SECONDS },
    rows,
    ratios,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, `bench/results/book-${report.when.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  for (const r of rows) {
    const cols = [r['client'], r['mode'], r['error'] ?? (r['mode'] === 'flood' ? `${Math.round(Number(r['msgsPerSec'])).toLocaleString('en-US')} msg/s` : `p50 ${fmtMs(r['p50Ms'])} p99 ${fmtMs(r['p99Ms'])} max ${fmtMs(r['maxMs'])} ms @ ${RATE}/s`)];
    const held = r['held'] as { bids: number; asks: number } | undefined;
    if (r['error'] === undefined) cols.push(`${Number(r['cpuUsPerMsg']).toFixed(1)} µs CPU/msg`, `rss ${r['maxRssMb']} MB`, String(r['fidelity']), held === undefined ? 'held n/a' : `held ${held.bids}/${held.asks}`);
    process.stdout.write(cols.join('  |  ') + '\n');
  }
  process.stdout.write(`venuekit/ccxt flood throughput: ${ratios.venuekitVsCcxt.toFixed(1)}x; venuekit/raw ceiling: ${(ratios.venuekitVsRaw * 100).toFixed(0)}%\n`);
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
