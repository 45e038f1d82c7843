/**
 * `venuekit sim` as a Unix tool: it fails at once with one clear line when it cannot start (a port in use,
 * an invalid `--port-base`), and it serves any set of venues (`--venues okx`: no Binance needed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { VenueError } from '../../src/core/errors.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import { runInProcess } from './cli-io.js';
import { linesOf, run, start } from './cli-process.js';

test('sim on an occupied port exits 1 with one line naming the port', async () => {
  const blocker = createServer();
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const port = (blocker.address() as AddressInfo).port;
  try {
    const r = await run(['sim', '--port-base', String(port), '--symbols', '1', '--depth', '20']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '', 'no endpoints line');
    const lines = linesOf(r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] as string, new RegExp(`^venuekit sim: .*cannot start the simulator: port 127\\.0\\.0\\.1:\\d+ is already in use \\(--port-base ${port} uses ports ${port} to ${port + 4}\\)$`));
  } finally {
    blocker.close();
  }
});

test('sim refuses an invalid --port-base, --venues or --depth as a usage error (exit 2)', async () => {
  for (const [args, re] of [
    [['--port-base', '0'], /--port-base must be an integer from 1 to 65531, got "0"/],
    [['--port-base', '65532'], /--port-base must be an integer from 1 to 65531/],
    [['--port-base', '80x'], /--port-base must be an integer/],
    [['--venues', 'okx,kraken'], /--venues "okx,kraken": give a comma-separated list of binance, bybit, okx \("kraken" is not one\)/],
    [['--venues', ''], /--venues "": give a comma-separated list/],
    [['--depth', '0'], /--depth must be an integer from 1 to 5000/],
  ] as const) {
    const r = await runInProcess(['sim', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(linesOf(r.stderr).length, 1);
    assert.match(r.stderr, re);
  }
  const spawned = await run(['sim', '--port-base', '-5']);
  assert.equal(spawned.code, 2, spawned.stderr);
  assert.match(spawned.stderr, /^venuekit sim: --port-base needs a value \(write --port-base=-5/);
});

test('sim --venues okx serves OKX alone, prints its endpoints, and exits 0 on SIGTERM', async () => {
  await using p = start(['sim', '--venues', 'okx', '--symbols', '1', '--depth', '20']);
  try {
    const endpoints = JSON.parse(await p.stdoutLine()) as Record<string, { rest?: string } | string>;
    assert.deepEqual(Object.keys(endpoints).sort(), ['control', 'okx']);
    const okxRest = (endpoints['okx'] as { rest: string }).rest;
    const time = (await (await fetch(`${okxRest}/api/v5/public/time`)).json()) as { code: string; data: Array<{ ts: string }> };
    assert.equal(time.code, '0');
    const state = (await (await fetch(`${endpoints['control'] as string}/_sim/state`)).json()) as { venues: Record<string, unknown> };
    assert.deepEqual(Object.keys(state.venues), ['okx'], 'the control API answers without Binance');
  } finally {
    p.child.kill('SIGTERM');
  }
  const r = await p.exit();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('startSimulator serves any non-empty set of venues and checks portBase and venues', async () => {
  {
    await using sim = await startSimulator({ venues: ['bybit'], symbols: 1, depth: 20, tickMs: 0 });
    assert.deepEqual(sim.venues, ['bybit']);
    assert.equal(sim.market, sim.marketOf('bybit'), 'sim.market is the first served venue without Binance');
    assert.equal((sim.endpoints as unknown as Record<string, unknown>)['binance'], undefined);
    assert.match(sim.endpoints.bybit?.rest ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    sim.faults.gap(sim.market.symbols[0] as string);
  }
  {
    await using sim = await startSimulator({ venues: ['okx', 'binance'], symbols: 1, depth: 20, tickMs: 0 });
    assert.equal(sim.market, sim.marketOf('binance'), 'Binance stays sim.market when served');
  }
  await assert.rejects(startSimulator({ venues: [] }), (e) => VenueError.is(e, 'invalid-argument') && /venues must hold at least 1 item/.test(e.message));
  await assert.rejects(startSimulator({ venues: 'okx' as never }), (e) => VenueError.is(e, 'invalid-argument') && /venues must be an array/.test(e.message));
  await assert.rejects(startSimulator({ portBase: 65533 }), (e) => VenueError.is(e, 'invalid-argument') && /portBase must be an integer from 1 to 65531/.test(e.message));
  await assert.rejects(startSimulator({ portBase: 1.5 }), (e) => VenueError.is(e, 'invalid-argument'));
});
