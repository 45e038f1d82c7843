/** Test helpers for the CLI commands: an output sink, and `venuekit normalize` run on a string with its output parsed. */
import { PassThrough, Readable } from 'node:stream';
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

/** Runs `venuekit normalize argv` with `input` on stdin: the failed-line count, the events and the error lines. */
export async function runNormalize(argv: string[], input: string): Promise<{ failed: number; events: JsonLine[]; errors: JsonLine[] }> {
  const output = sink();
  const errors = sink();
  const failed = await normalizeCommand(argv, { input: Readable.from([input]), output: output.stream, errors: errors.stream });
  return { failed, events: jsonLines(output.text()), errors: jsonLines(errors.text()) };
}

/** How many events of each type. */
export function countByType(events: readonly JsonLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[String(e['type'])] = (counts[String(e['type'])] ?? 0) + 1;
  return counts;
}
