/**
 * One simulated Bybit public WebSocket connection: its category, `conn_id` and topics, the outgoing queue that
 * applies the delay and stall faults in order, and the idle clock (Bybit cuts a connection after 10 minutes
 * without a ping or any other message from the client).
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import type { BybitCategory } from './wire-format.js';

let nextConnection = 1;

/** A `conn_id` shaped like the recorded ones (`d9tc9d83r8h4ejgu2cu0-ctw7`). */
function connId(n: number): string {
  const a = (Math.imul(n, 2654435761) >>> 0).toString(32).padStart(7, '0');
  const b = (Math.imul(n ^ 0x5bd1e995, 2246822519) >>> 0).toString(32).padStart(7, '0');
  return `d9${a}${b}${n.toString(32).padStart(4, '0')}-${(n * 7919).toString(36).slice(-4).padStart(4, '0')}`;
}

export class BybitConnection {
  readonly id = nextConnection++;
  readonly connId = connId(this.id);
  readonly topics = new Set<string>();
  /** Last message from the client (ping or anything else). */
  lastHeardAt = Date.now();
  closeReason: string | undefined;
  private readonly queue: Array<[at: number, text: string]> = [];
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private holdUntil = 0;
  private held: string[] = [];
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly socket: Duplex,
    readonly category: BybitCategory,
    private readonly delayMs: () => number,
    onClosed: (c: BybitConnection) => void,
  ) {
    ws.on('close', () => {
      this.dispose();
      onClosed(this);
    });
    ws.on('error', () => {
      // ends in 'close'
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** A data push: held during a stall, delayed by the delay fault, always in order. */
  sendData(text: string): void {
    if (this.holdUntil > 0) this.held.push(text);
    else this.enqueue(text);
  }

  /** A reply (ack, pong): not held by a stall, delayed like everything else. */
  sendControl(text: string): void {
    this.enqueue(text);
  }

  stall(ms: number): void {
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    this.holdUntil = Date.now() + ms;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      this.holdUntil = 0;
      const held = this.held;
      this.held = [];
      for (const t of held) this.enqueue(t);
    }, ms);
  }

  /** Closes with a close frame, after `afterMs` when given. */
  close(code: number, reason: string, why: string, afterMs = 0): void {
    if (afterMs > 0) {
      this.closeTimer ??= setTimeout(() => this.close(code, reason, why), afterMs);
      return;
    }
    this.closeReason ??= why;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }

  /** Cuts the TCP connection without a close frame. */
  drop(why = 'drop'): void {
    this.closeReason ??= why;
    this.socket.destroy();
    this.ws.terminate();
  }

  private enqueue(text: string): void {
    const delay = this.delayMs();
    if (delay === 0 && this.queue.length === 0) {
      if (this.open) this.ws.send(text);
      return;
    }
    this.queue.push([Date.now() + delay, text]);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainTimer !== undefined) return;
    const head = this.queue[0];
    if (head === undefined) return;
    this.drainTimer = setTimeout(
      () => {
        this.drainTimer = undefined;
        const now = Date.now();
        while (this.queue.length > 0 && (this.queue[0] as [number, string])[0] <= now) {
          const text = (this.queue.shift() as [number, string])[1];
          if (this.open) this.ws.send(text);
        }
        this.scheduleDrain();
      },
      Math.max(0, head[0] - Date.now()),
    );
  }

  private dispose(): void {
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    if (this.holdTimer !== undefined) clearTimeout(this.holdTimer);
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.queue.length = 0;
    this.held = [];
  }
}
