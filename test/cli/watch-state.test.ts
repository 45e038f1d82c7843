/**
 * `venuekit watch` keeps stdout for data and says connection state changes on stderr, one line each: a book
 * resync after an injected gap, a reconnect after dropped connections. The real command, against a simulator
 * in this process (`--endpoints`) whose faults the test injects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';
import { linesOf, start } from './cli-process.js';

test('watch book --json: data on stdout, gap resync and reconnect on stderr, SIGTERM ends it with 0', async () => {
  await using sim = await startSimulator({ seed: 9, symbols: ['BTC/USDT'], depth: 50, venues: ['bybit'] });
  await using p = start(['watch', 'book', 'BTC/USDT', '--exchange', 'bybit', '--json', '--depth', '3', '--endpoints', JSON.stringify(sim.endpoints)]);
  try {
    await p.stdoutLine(/"type":"book"/);
    sim.faults.gap('BTC/USDT');
    const resync = await p.stderrLine(/resynced/);
    assert.equal(resync, 'venuekit watch: book BTC/USDT resynced from a fresh snapshot (gap)');
    sim.faults.drop();
    assert.match(await p.stderrLine(/lost/), /^venuekit watch: spot connection #\d+ lost \(.+\); reconnecting in \d+ ms \(attempt 1\)$/);
    assert.match(await p.stderrLine(/reconnected/), /^venuekit watch: spot connection #\d+ reconnected after \d+ ms; subscriptions restored$/);
    const booksSoFar = linesOf(p.stdout()).length;
    await waitFor(() => linesOf(p.stdout()).length > booksSoFar, 'books after the reconnect', 30_000);
  } finally {
    p.child.kill('SIGTERM');
  }
  const r = await p.exit();
  assert.equal(r.code, 0, r.stderr);
  for (const line of linesOf(r.stdout)) assert.equal((JSON.parse(line) as { type: string }).type, 'book', 'stdout holds only data');
  for (const line of linesOf(r.stderr)) assert.match(line, /^venuekit watch: /, 'every stderr line is one state line');
});
