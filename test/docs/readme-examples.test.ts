/**
 * The README works verbatim: every ```ts block of README.md runs as written (only `venuekit` and `venuekit/testing`
 * are pointed at this checkout's sources) in its own Node process, against the embedded simulator it starts itself,
 * and ends by itself with exit status 0. Blocks with a known outcome are also checked on what they print.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { againstSources, readmeExamples, ROOT } from '../helpers/readme.js';

/** What an example must print, by the heading it stands under. */
const PRINTS: Readonly<Record<string, RegExp>> = {
  // The market-data tour: Binance's id of BTC/USDT, the first book (a snapshot), then a trade of Bybit's inverse perpetual.
  'Use it': /^BTCUSDT$[\s\S]*^\(re\)synced: initial$[\s\S]*^(buy|sell) \d+ \d+(\.\d+)?$/m,
  // The trading example: every status of the order, in order, once each.
  // Failures: the refused argument named, a trade, the connection it came over, the trade stream's counters.
  'Mistakes and failures get a clear answer': /^binance invalid-argument: limit must be an integer ≥ 1; got 0$[\s\S]*^\d+ \d+(\.\d+)?$[\s\S]*connection: 'spot'[\s\S]*state: 'open'[\s\S]*accepted: 1,/m,
  Trading: /^new \S+ \S+$[\s\S]*^pending-new 0(\.0+)? 0$\n^new 0(\.0+)? 0$\n^pending-cancel 0(\.0+)? 0$\n^cancelled 0(\.0+)? 0$/m,
};

function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, stdout, stderr: err !== null && err.killed ? `${stderr}\n(killed after 90 s: the example did not end by itself)` : stderr });
    });
  });
}

describe('README examples run as written', () => {
  const examples = readmeExamples();
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'venuekit-readme-'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('the README has TypeScript examples, and each imports only venuekit (or node:)', () => {
    assert.ok(examples.length >= 2, `found ${examples.length} examples`);
    for (const e of examples) {
      for (const m of e.code.matchAll(/from (['"])([^'"]+)\1/g)) assert.match(m[2] ?? '', /^(venuekit(\/testing)?|node:.+)$/, `${e.heading}: imports ${m[2]}`);
    }
    for (const heading of Object.keys(PRINTS)) assert.ok(examples.some((e) => e.heading === heading), `no example under "${heading}"`);
  });

  examples.forEach((e, i) => {
    test(`example ${i + 1} ("${e.heading}") runs to its end with exit status 0`, async () => {
      const file = join(dir, `example-${i + 1}.mts`);
      writeFileSync(file, againstSources(e.code));
      const r = await run(file);
      assert.equal(r.code, 0, `exit ${String(r.code)}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
      assert.ok(r.stdout.trim() !== '', 'it printed nothing');
      const expected = PRINTS[e.heading];
      if (expected !== undefined) assert.match(r.stdout, expected, `what "${e.heading}" printed:\n${r.stdout}`);
    });
  });
});
