/**
 * The line formats `venuekit normalize` reads: one raw frame per line, as the fixtures hold them, or a
 * cryptofeed raw capture (`AsyncFileCallback`), where a received frame is `<unix seconds>: <frame>` and the
 * other lines are the recorder's own: `configuration: {...}`, `<url> <-> <ts>` (connection opened),
 * `<url> <- <ts>: <frame>` (a frame the recorder sent), `<url> -> <ts>: <body>` (an HTTP response).
 */

/** A line split into the frame it carries and, when the recorder wrote it, the frame's receive time. */
export type RecordedLine =
  | { readonly kind: 'frame'; readonly text: string; readonly receivedAt?: number }
  /** A recorder line that carries no received frame; `what` says what it is. */
  | { readonly kind: 'recorder'; readonly what: string };

const RECEIVED = /^(\d{9,11}(?:\.\d+)?): (.*)$/s;
const CONNECTED = /^\S+ <-> \d+(?:\.\d+)?$/;
const SENT = /^\S+ <- \d+(?:\.\d+)?: /;
const HTTP = /^\S+ -> \d+(?:\.\d+)?: /;

/** Unix seconds with a fraction (`1628952395.799805`) → epoch ms, exactly (truncated to the millisecond). */
export function secondsToMs(text: string): number {
  const [whole = '0', frac = ''] = text.split('.');
  return Number(whole) * 1000 + Number((frac + '000').slice(0, 3));
}

/** Splits one line of a recording (not empty). */
export function splitRecordedLine(line: string): RecordedLine {
  const received = RECEIVED.exec(line);
  if (received !== null) return { kind: 'frame', text: received[2] as string, receivedAt: secondsToMs(received[1] as string) };
  if (line.startsWith('configuration: ')) return { kind: 'recorder', what: 'recorder configuration' };
  if (CONNECTED.test(line)) return { kind: 'recorder', what: 'connection opened (recorder line)' };
  if (SENT.test(line)) return { kind: 'recorder', what: 'frame sent by the recorder' };
  if (HTTP.test(line)) return { kind: 'recorder', what: 'HTTP response (recorder line)' };
  return { kind: 'frame', text: line };
}
