/**
 * A tiny typed event channel for lifecycle notifications (state changes, reconnects, pauses). Data never
 * travels through it, and there is deliberately no `'error'` event: failures are `'problem'` events.
 * A listener that throws never breaks the emitter nor crashes the process: its owner reports it.
 */
import { VenueError } from '../errors.js';

/** Stops one listener; also usable with `using`. */
export interface Off {
  (): void;
  [Symbol.dispose](): void;
}

type Listener<E> = (event: E) => void;

/**
 * Where a throwing listener is reported: the owner typically emits its own `'problem'` event. A listener
 * that throws while such a report is delivered (a throwing `'problem'` listener) goes to
 * `process.emitWarning` instead, so reporting never recurses.
 */
export type ListenerErrorReporter = (error: VenueError, eventName: string) => void;

/** Listeners keyed by event name, each typed by the event map `M`. */
export class TypedEvents<M extends { [K in keyof M]: unknown }> {
  private readonly listeners = new Map<keyof M, Array<Listener<never>>>();
  private readonly report: ListenerErrorReporter | undefined;
  private reporting = false;

  /** @param report where a throwing listener is reported (default: a process warning). */
  constructor(report?: ListenerErrorReporter) {
    this.report = report;
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof M>(name: K, listener: Listener<M[K]>): Off {
    const list = this.listeners.get(name) ?? [];
    this.listeners.set(name, [...list, listener as Listener<never>]);
    const off = (): void => {
      const current = this.listeners.get(name);
      if (current) this.listeners.set(name, current.filter((l) => l !== listener));
    };
    return Object.assign(off, { [Symbol.dispose]: off });
  }

  /** Adds a listener that runs at most once. */
  once<K extends keyof M>(name: K, listener: Listener<M[K]>): Off {
    const off = this.on(name, (event) => {
      off();
      listener(event);
    });
    return off;
  }

  /**
   * Calls every listener of `name`. A throwing listener never stops the others, never breaks the emitter and
   * never becomes an uncaught exception: it is handed to the owner's reporter (see the constructor).
   */
  emit<K extends keyof M>(name: K, event: M[K]): void {
    const list = this.listeners.get(name);
    if (list === undefined) return;
    for (const l of list) {
      try {
        (l as Listener<M[K]>)(event);
      } catch (err) {
        this.listenerFailed(String(name), err);
      }
    }
  }

  /** Whether anyone listens to `name`. */
  has(name: keyof M): boolean {
    return (this.listeners.get(name)?.length ?? 0) > 0;
  }

  /** Removes every listener. */
  clear(): void {
    this.listeners.clear();
  }

  private listenerFailed(name: string, err: unknown): void {
    const detail = err instanceof Error ? err.message : String(err);
    const error = new VenueError('invalid-argument', `a listener of '${name}' threw: ${detail}`, { operation: `events.on('${name}')`, cause: err });
    if (this.report === undefined || this.reporting) return warn(error);
    this.reporting = true;
    try {
      this.report(error, name);
    } catch (again) {
      warn(new VenueError('invalid-argument', `reporting a throwing '${name}' listener failed: ${again instanceof Error ? again.message : String(again)}`, { cause: error }));
    } finally {
      this.reporting = false;
    }
  }
}

/** The last resort: a process warning (printed on stderr by default; never an exception). */
function warn(error: VenueError): void {
  process.emitWarning(error.message, { type: 'VenueKitWarning', code: 'VENUEKIT_LISTENER_THREW' });
}
