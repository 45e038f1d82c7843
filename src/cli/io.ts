/**
 * The streams a CLI command writes to: data on `out`, diagnostics on `err`, and a signal that fires when the
 * reader of `out` goes away (`venuekit watch ... | head -1`: EPIPE), so the command stops quietly and closes
 * what it opened instead of dying with a stack trace.
 */
import type { Writable } from 'node:stream';

export interface CliIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  /** Aborted once `out` can take no more: its reader closed the pipe (EPIPE), or writing failed otherwise. */
  readonly outClosed: AbortSignal;
  /** Why writing to `out` failed, when it was not the reader going away (a full disk): the command then fails. */
  outError(): Error | undefined;
}

/** Error codes that mean "nobody reads `out` any more": end quietly. */
const READER_GONE: ReadonlySet<string> = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

/**
 * Watches `out` and `err` for write errors: a reader that went away aborts `outClosed`; another failure on
 * `out` aborts it too and is kept for `outError()`. Errors on `err` are swallowed (nowhere left to report them).
 */
export function cliIo(out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): CliIo {
  const closed = new AbortController();
  let failure: Error | undefined;
  const onOutError = (e: NodeJS.ErrnoException): void => {
    if (!READER_GONE.has(e.code ?? '')) failure ??= e;
    closed.abort();
  };
  out.on('error', onOutError);
  if (err !== out) err.on('error', () => undefined);
  const destroyed = (out as Partial<Writable>).destroyed === true || (out as Partial<Writable>).writable === false;
  if (destroyed) closed.abort();
  return { out, err, outClosed: closed.signal, outError: () => failure };
}

/** Writes `text` unless `out` is closed; true when it was handed over. */
export function writeOut(io: CliIo, text: string): boolean {
  if (io.outClosed.aborted) return false;
  io.out.write(text);
  return true;
}
