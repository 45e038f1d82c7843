/**
 * Test helpers that run the real `venuekit` command from source (`node --import tsx src/cli/main.ts ...`) in a
 * child process: run to the end with some stdin, or start it and follow its stdout and stderr line by line.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { waitFor } from '../helpers/wait.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
/** tsx's loader by absolute URL, so the command also runs from another working directory. */
const TSX = import.meta.resolve('tsx');

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `venuekit` child: its output so far, line waits, and its end. Disposing it kills a child still running. */
export interface Running extends AsyncDisposable {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `re` (any line when omitted). */
  stdoutLine(re?: RegExp, timeoutMs?: number): Promise<string>;
  stderrLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the child has exited (rejects after `timeoutMs`, killing it). */
  exit(timeoutMs?: number): Promise<Finished>;
}

/** Starts `venuekit ...args` (cwd: the repository unless given). */
export function start(args: readonly string[], opts: { cwd?: string } = {}): Running {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: opts.cwd ?? ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  // The test may destroy stdout on purpose; nothing else should error here.
  child.stdout.on('error', () => undefined);
  child.stdin.on('error', () => undefined);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const line = (text: () => string, re: RegExp | undefined) => () => text().split('\n').slice(0, -1).find((l) => re === undefined || re.test(l));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    stdoutLine: (re, timeoutMs = 30_000) => waitFor(line(() => out, re), `a stdout line ${re ?? ''} (stderr: ${err})`, timeoutMs, 20),
    stderrLine: (re, timeoutMs = 30_000) => waitFor(line(() => err, re), `a stderr line ${re} (stderr so far: ${err})`, timeoutMs, 20),
    async exit(timeoutMs = 30_000) {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        const [code, signal] = await exited;
        if (signal === 'SIGKILL') throw new Error(`venuekit ${args.join(' ')} did not end within ${timeoutMs} ms (stderr: ${err})`);
        return { code, signal, stdout: out, stderr: err };
      } finally {
        clearTimeout(timer);
      }
    },
    // A test that failed half-way must not leave its command running (a `demo --duration 600` holds the suite).
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs `venuekit ...args` to its end with `stdin` as input. */
export async function run(args: readonly string[], opts: { stdin?: string; cwd?: string; timeoutMs?: number } = {}): Promise<Finished> {
  await using p = start(args, opts);
  p.child.stdin.end(opts.stdin ?? '');
  return await p.exit(opts.timeoutMs);
}

/** The non-empty lines of a text. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
