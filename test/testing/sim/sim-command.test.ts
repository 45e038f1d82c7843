/** `venuekit sim`: prints its endpoints as one JSON line, serves them, and exits 0 on SIGTERM. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseSimArgs } from '../../../src/cli/sim-command.js';
import { VenueError } from '../../../src/core/errors.js';
import { waitFor } from '../../helpers/wait.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('venuekit sim', () => {
  test('parses its integer options and rejects anything else', () => {
    assert.deepEqual(parseSimArgs(['--seed', '7', '--port-base=9100', '--depth', '500', '--symbols', '3']), { seed: 7, portBase: 9100, depth: 500, symbols: 3 });
    assert.throws(() => parseSimArgs(['--seed']), (e) => VenueError.is(e, 'invalid-argument'));
    assert.throws(() => parseSimArgs(['--speed', '1']), (e) => VenueError.is(e, 'invalid-argument'));
    assert.throws(() => parseSimArgs(['--depth', '-1']), (e) => VenueError.is(e, 'invalid-argument'));
  });

  test('parses --venues as a comma-separated list of known venues', () => {
    assert.deepEqual(parseSimArgs(['--venues', 'binance,bybit']), { venues: ['binance', 'bybit'] });
    assert.deepEqual(parseSimArgs(['--venues=binance']), { venues: ['binance'] });
    assert.throws(() => parseSimArgs(['--venues', 'binance,kraken']), (e) => VenueError.is(e, 'invalid-argument'));
    assert.throws(() => parseSimArgs(['--venues']), (e) => VenueError.is(e, 'invalid-argument'));
  });

  test('prints the endpoints as one JSON line, serves them and exits 0 on SIGTERM', async () => {
    const code = `import(${JSON.stringify(join(ROOT, 'src/cli/sim-command.ts'))}).then((m) => m.simCommand(process.argv.slice(1)))`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', code, '--', '--seed', '3', '--symbols', '1', '--depth', '50'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      const line = await waitFor(() => (out.includes('\n') ? out.split('\n')[0] : undefined), `the endpoints line (stderr: ${err})`, 15_000);
      const endpoints = JSON.parse(line) as { binance: { spot: { rest: string } }; bybit: { rest: string; ws: Record<string, string> }; control: string };
      const ping = await fetch(`${endpoints.binance.spot.rest}/api/v3/ping`);
      assert.equal(ping.status, 200);
      assert.deepEqual(await ping.json(), {});
      const time = await fetch(`${endpoints.bybit.rest}/v5/market/time`);
      assert.equal(((await time.json()) as { retCode: number }).retCode, 0);
      assert.match(endpoints.bybit.ws['linear'] ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/v5\/public\/linear$/);
      child.kill('SIGTERM');
      const [exitCode] = (await once(child, 'exit')) as [number | null];
      assert.equal(exitCode, 0, err);
      assert.equal(out.trim().split('\n').length, 1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
