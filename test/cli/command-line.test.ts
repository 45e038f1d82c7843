/**
 * The `venuekit` command line as a Unix tool: usage errors exit 2 with one stderr line naming the flag or the
 * argument, `--help` / `-h` on every command (stdout, exit 0), `--version`, and the parser behind them. The
 * headline cases run the real command in a child process; the rest run the same command line in-process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine, UsageError, usageOf, type CommandSpec } from '../../src/cli/args.js';
import { VenueError } from '../../src/core/errors.js';
import { runInProcess } from './cli-io.js';
import { linesOf, ROOT, run } from './cli-process.js';

/** A usage error: exit 2, nothing on stdout, exactly one stderr line matching `re` (in-process, or `spawned`). */
async function usageError(args: string[], re: RegExp, spawned = false): Promise<void> {
  const r = spawned ? await run(args) : await runInProcess(args);
  assert.equal(r.code, 2, `venuekit ${args.join(' ')} -> ${r.code} (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  const lines = linesOf(r.stderr);
  assert.equal(lines.length, 1, `one stderr line, got: ${r.stderr}`);
  assert.match(lines[0] as string, re);
}

test('an unknown flag is a usage error naming it, before anything runs (today: --exchnage silently watched Binance)', async () => {
  await usageError(['watch', 'book', 'BTC/USDT', '--exchnage', 'bybit'], /^venuekit watch: unknown option --exchnage \(did you mean --exchange\?\); see venuekit watch --help$/, true);
  await usageError(['demo', '--durations', '3'], /^venuekit demo: unknown option --durations \(did you mean --duration\?\)/);
  await usageError(['normalize', '-x'], /^venuekit normalize: unknown option -x;/);
  await usageError(['--bogus'], /^venuekit: unknown option --bogus;/);
});

test('extra or missing positional arguments are usage errors naming them', async () => {
  await usageError(['demo', 'now'], /^venuekit demo: unexpected argument "now" \(demo takes no arguments\)/);
  await usageError(['sim', 'okx'], /^venuekit sim: unexpected argument "okx"/);
  await usageError(['watch', 'trades', 'BTC/USDT', 'ETH/USDT'], /^venuekit watch: unexpected argument "ETH\/USDT"/);
  await usageError(['normalize', 'a.jsonl', 'b.jsonl'], /^venuekit normalize: unexpected argument "b\.jsonl"/);
  await usageError(['watch', 'trades'], /^venuekit watch: missing <SYMBOL>/);
  await usageError(['watch', 'quotes', 'BTC/USDT'], /^venuekit watch: unknown kind "quotes": use ticker, trades, book, candles/);
});

test('bad option values are usage errors naming the option and what it takes', async () => {
  await usageError(['watch', 'trades', 'BTC/USDT', '--count', 'x'], /--count must be an integer >= 0, got "x"/);
  await usageError(['watch', 'trades', 'BTC/USDT', '--count'], /--count needs a value/);
  await usageError(['watch', 'trades', 'BTC/USDT', '--json=yes'], /--json takes no value/);
  await usageError(['watch', 'trades', 'BTC/USDT', '--exchange', 'kraken'], /--exchange kraken: use binance, bybit, okx/);
  await usageError(['demo', '--duration', '0'], /--duration must be an integer from 1 to 3600, got "0"/);
  // The venue's own book maximum, checked by the library once the market is known (OKX books: 400 levels): after
  // the line saying what it was about to watch, a usage error and nothing on stdout.
  const deep = await runInProcess(['watch', 'book', 'BTC/USDT', '--exchange', 'okx', '--depth', '1000']);
  assert.equal(deep.code, 2, deep.stderr);
  assert.equal(deep.stdout, '');
  assert.match(linesOf(deep.stderr).at(-1) as string, /^venuekit watch: okx invalid-argument: depth must be an integer from 1 to 400; got 1000; see venuekit watch --help$/);
});

test('no command prints the usage on stderr and exits 2; an unknown command names it', async () => {
  const bare = await run([]);
  assert.equal(bare.code, 2);
  assert.equal(bare.stdout, '');
  assert.match(bare.stderr, /^usage: venuekit <command>/);
  await usageError(['wacth'], /^venuekit: unknown command "wacth": use sim, watch, normalize, demo/);
});

test('--help and -h print the usage on stdout and exit 0, on every command and at the top; demo --help does not run the demo', async () => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    const r = await runInProcess(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^usage: venuekit <command> \[options\]\n/);
    for (const command of ['sim', 'watch', 'normalize', 'demo']) assert.match(r.stdout, new RegExp(`^  ${command} `, 'm'));
  }
  for (const [command, flag] of [['sim', '--help'], ['watch', '-h'], ['normalize', '--help'], ['demo', '--help'], ['demo', '-h'], ['help', 'demo']] as const) {
    const r = command === 'demo' && flag === '--help' ? await run([command, flag]) : await runInProcess([command, flag]);
    const name = command === 'help' ? flag : command;
    assert.equal(r.code, 0, `${command} ${flag}`);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, new RegExp(`^usage: venuekit ${name} \\[options\\]`));
    assert.match(r.stdout, /-h, --help +show this help and exit/);
    assert.doesNotMatch(r.stdout, /simulator REST|synced at update id/, 'the command itself did not run');
  }
  const helpWins = await runInProcess(['watch', '--bogus', '--help']);
  assert.equal(helpWins.code, 0, '--help wins over other mistakes');
  assert.match(helpWins.stdout, /^usage: venuekit watch/);
});

test('--version prints the package.json version, whatever the working directory', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const r = await run(['--version'], { cwd: tmpdir() });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${version}\n`);
  assert.equal(r.stderr, '');
});

// The parser itself, in-process.

const SPEC: CommandSpec = {
  name: 'probe',
  summary: 'A probe command.',
  positionals: ['<A>', '[B]'],
  options: { exchange: { type: 'string', value: 'VENUE', help: 'a venue' }, json: { type: 'boolean', help: 'json' } },
};

test('parseCommandLine: one table per command, strict, with `--` ending the options', () => {
  assert.deepEqual(parseCommandLine(SPEC, ['x', '--exchange=okx', '--json']), { positionals: ['x'], values: { exchange: 'okx', json: true }, help: false });
  assert.deepEqual(parseCommandLine(SPEC, ['--', '--not-an-option']).positionals, ['--not-an-option']);
  assert.equal(parseCommandLine(SPEC, ['--exchange', 'x', '-h']).help, true);
  const refused = (argv: string[], re: RegExp) =>
    assert.throws(
      () => parseCommandLine(SPEC, argv),
      (e: unknown) => e instanceof UsageError && VenueError.is(e, 'invalid-argument') && e.command === 'probe' && re.test(e.message),
    );
  refused(['x', '--exchnage', 'okx'], /^unknown option --exchnage \(did you mean --exchange\?\)$/);
  refused(['x', '--zzz'], /^unknown option --zzz$/);
  refused(['x', '--exchange'], /^--exchange needs a value$/);
  refused(['x', '--exchange', '--json'], /^--exchange needs a value \(write --exchange=--json/);
  refused(['x', 'y', 'z'], /^unexpected argument "z"/);
  refused([], /^missing <A>$/);
  assert.match(usageOf(SPEC), /^usage: venuekit probe \[options\] <A> \[B\]\n\nA probe command\.\n\noptions:\n {6}--exchange VENUE +a venue\n/);
});
