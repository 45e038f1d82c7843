/**
 * In-process test helpers for the CLI: an output sink, the whole command line run on sinks (exit status,
 * stdout, stderr), and `venuekit normalize` run on a string with its output parsed.
 */
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/cli.js';
import { cliIo } from '../../src/cli/io.js';
import { normalizeCommand } from '../../src/cli/normalize-command.js';

export type JsonLine = Record<string, unknown>;

/** A writable stream that keeps what was written. */
export function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

/** Parses JSON lines, skipping empty ones. */
export function jsonLines(text: string): JsonLine[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonLine);
}

export interface NormalizeResult {
  readonly failed: number;
  readonly events: JsonLine[];
  /** stderr's `error` lines (one per bad line). */
  readonly errors: JsonLine[];
  /** stderr's `skipped` lines (one per kind of frame that gave no events). */
  readonly skipped: JsonLine[];
  /** stderr's last line, the `summary`. */
  readonly summary: JsonLine;
}

/** Runs `venuekit normalize argv` in-process with `input` on stdin: the failed-line count, the events and stderr's report. */
export async function runNormalize(argv: string[], input: string): Promise<NormalizeResult> {
  const output = sink();
  const errors = sink();
  const failed = await normalizeCommand(argv, { input: Readable.from([input]), output: output.stream, errors: errors.stream });
  const report = jsonLines(errors.text());
  const summary = report.at(-1) as JsonLine;
  assert.equal(summary['type'], 'summary', 'stderr ends with the summary');
  return { failed, events: jsonLines(output.text()), errors: report.filter((l) => l['type'] === 'error'), skipped: report.filter((l) => l['type'] === 'skipped'), summary };
}

/** How many events of each type. */
export function countByType(events: readonly JsonLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[String(e['type'])] = (counts[String(e['type'])] ?? 0) + 1;
  return counts;
}

/** Runs the `venuekit` command line in this process on sinks: what `main.ts` would exit with and print. */
export async function runInProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = sink();
  const err = sink();
  const code = await runCli(argv, cliIo(out.stream, err.stream));
  return { code, stdout: out.text(), stderr: err.text() };
}
