/**
 * A small hostile WebSocket server for tests (127.0.0.1, ephemeral port): it answers each venue's subscribe and
 * login requests the way the venue documents them, records what the client asked, and sends whatever frames the
 * test gives it (real fixtures, mutated by the test). It speaks only the control messages; it is no simulator.
 */
import { WebSocketServer, type WebSocket } from 'ws';

/** One request a client sent, decoded. */
export interface ClientRequest {
  readonly path: string;
  readonly message: Record<string, unknown>;
}

export type FakeVenue = 'binance' | 'bybit' | 'okx';

export class FakeVenueWs implements AsyncDisposable {
  readonly requests: ClientRequest[] = [];
  readonly sockets = new Set<{ readonly ws: WebSocket; readonly path: string }>();
  readonly #server: WebSocketServer;
  readonly #venue: FakeVenue;
  /** Answers to requests the defaults do not cover (logins), by the test. */
  readonly #answer: ((req: ClientRequest) => unknown[] | undefined) | undefined;

  private constructor(server: WebSocketServer, venue: FakeVenue, answer?: (req: ClientRequest) => unknown[] | undefined) {
    this.#server = server;
    this.#venue = venue;
    this.#answer = answer;
    server.on('connection', (ws, req) => {
      const entry = { ws, path: req.url ?? '/' };
      this.sockets.add(entry);
      ws.on('close', () => this.sockets.delete(entry));
      ws.on('message', (data: Buffer) => this.#onMessage(entry, data.toString()));
    });
  }

  static async start(venue: FakeVenue, answer?: (req: ClientRequest) => unknown[] | undefined): Promise<FakeVenueWs> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new FakeVenueWs(server, venue, answer);
  }

  get url(): string {
    const address = this.#server.address();
    if (typeof address !== 'object' || address === null) throw new Error('not listening');
    return `ws://127.0.0.1:${address.port}`;
  }

  /** Requests whose `method` / `op` is `name` (`SUBSCRIBE`, `subscribe`, `auth`, `login`...). */
  requestsNamed(name: string): ClientRequest[] {
    return this.requests.filter((r) => r.message['method'] === name || r.message['op'] === name);
  }

  /** Sends one frame (an object is JSON-encoded) to every connected client whose path starts with `pathPrefix`. */
  send(frame: unknown, pathPrefix = ''): number {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    let n = 0;
    for (const s of this.sockets) {
      if (!s.path.startsWith(pathPrefix) || s.ws.readyState !== s.ws.OPEN) continue;
      s.ws.send(text);
      n++;
    }
    return n;
  }

  #onMessage(entry: { readonly ws: WebSocket; readonly path: string }, text: string): void {
    if (text === 'ping') return void entry.ws.send('pong');
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    const req = { path: entry.path, message };
    this.requests.push(req);
    const replies = this.#answer?.(req) ?? this.#defaultReplies(message);
    for (const r of replies) entry.ws.send(typeof r === 'string' ? r : JSON.stringify(r));
  }

  #defaultReplies(m: Record<string, unknown>): unknown[] {
    switch (this.#venue) {
      case 'binance':
        return m['method'] === 'SUBSCRIBE' || m['method'] === 'UNSUBSCRIBE' ? [{ result: null, id: m['id'] }] : [];
      case 'bybit':
        if (m['op'] === 'ping') return [{ success: true, ret_msg: 'pong', conn_id: 'fake', req_id: m['req_id'], op: 'ping' }];
        return m['op'] === 'subscribe' || m['op'] === 'unsubscribe' ? [{ success: true, ret_msg: String(m['op']), conn_id: 'fake', req_id: m['req_id'], op: m['op'] }] : [];
      case 'okx': {
        const args = Array.isArray(m['args']) ? (m['args'] as unknown[]) : [];
        if (m['op'] !== 'subscribe' && m['op'] !== 'unsubscribe') return [];
        return args.map((arg) => ({ id: m['id'], event: m['op'], arg, connId: 'fake' }));
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const s of this.sockets) s.ws.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
