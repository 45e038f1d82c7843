/**
 * A reader that closes stdout (`venuekit watch ... | head -1`) ends the command quietly: exit 0, no EPIPE
 * stack, the clients and the simulator closed. Spawns the real command, reads its first stdout line, then
 * destroys the pipe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../src/testing/sim/server.js';
import { fixtureLines, waitFor } from '../helpers/wait.js';
import { linesOf, start } from './cli-process.js';

/** stderr holds no stack, no EPIPE, no error line: only the lines the command says on purpose. */
function assertQuiet(stderr: string): void {
  assert.doesNotMatch(stderr, /EPIPE|Error|\n\s+at /, stderr);
}

test('watch | head -1: the command ends by itself with status 0, no EPIPE, and its client disconnects', async () => {
  await using sim = await startSimulator({ seed: 5, symbols: ['BTC/USDT'], depth: 50, venues: ['binance'] });
  await using p = start(['watch', 'trades', 'BTC/USDT', '--json', '--endpoints', JSON.stringify(sim.endpoints)]);
  const first = await p.stdoutLine();
  assert.equal(JSON.parse(first).type, 'trade');
  assert.equal(sim.stats.connections['binance:spot']?.open, 1, 'the client is connected');
  p.child.stdout.destroy();
  const r = await p.exit();
  assert.equal(r.code, 0, r.stderr);
  assertQuiet(r.stderr);
  assert.deepEqual(linesOf(r.stderr).map((l) => l.replace(/ on .*/, '')), ['venuekit watch: watching trades BTC/USDT']);
  await waitFor(() => sim.stats.connections['binance:spot']?.open === 0, 'the client connection to close');
});

test('watch on the embedded simulator, table mode: a closed stdout ends it with status 0 and no stack', async () => {
  await using p = start(['watch', 'book', 'BTC/USDT', '--depth', '3']);
  await p.stdoutLine(/^BTC\/USDT {2}seq \d+/);
  p.child.stdout.destroy();
  const r = await p.exit();
  assert.equal(r.code, 0, r.stderr);
  assertQuiet(r.stderr);
});

test('normalize | head -1: stops reading, exits 0, prints no EPIPE and no report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'venuekit-normalize-'));
  try {
    // Twenty copies of the recorded USD-M session: far more than a pipe buffer holds.
    const file = join(dir, 'usdm.jsonl');
    const session = fixtureLines('binance/ws/usdm-combined-streams-recorded-session.jsonl').join('\n') + '\n';
    writeFileSync(file, session.repeat(20));
    await using p = start(['normalize', file]);
    const first = await p.stdoutLine();
    assert.equal(JSON.parse(first).symbol, 'SUSHI/USDT:USDT');
    p.child.stdout.destroy();
    const r = await p.exit();
    assert.equal(r.code, 0, r.stderr);
    assertQuiet(r.stderr);
    assert.equal(r.stderr, '', 'no summary for a reader that went away');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('demo | head -1: the tour stops early and quietly', async () => {
  await using p = start(['demo', '--duration', '600']);
  const first = await p.stdoutLine();
  assert.match(first, /^venuekit demo: a tour of .* about 600 s:/);
  p.child.stdout.destroy();
  // Far less than the 600 s it was asked to run: it stopped because nobody reads it.
  const r = await p.exit(60_000);
  assert.equal(r.code, 0, r.stderr);
  assertQuiet(r.stderr.replace(/^\(node:\d+\) MaxListenersExceededWarning.*\n(\(Use `node --trace-warnings.*\n)?/m, ''));
});
