/**
 * A tiny typed event channel for lifecycle notifications (state changes, reconnects, pauses). Data never
 * travels through it, and there is deliberately no `'error'` event: failures are `'problem'` events.
 */

/** Stops one listener; also usable with `using`. */
export interface Off {
  (): void;
  [Symbol.dispose](): void;
}

type Listener<E> = (event: E) => void;

/** Listeners keyed by event name, each typed by the event map `M`. */
export class TypedEvents<M extends { [K in keyof M]: unknown }> {
  private readonly listeners = new Map<keyof M, Array<Listener<never>>>();

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

  /** Calls every listener of `name`. A throwing listener is reported asynchronously and never breaks the emitter. */
  emit<K extends keyof M>(name: K, event: M[K]): void {
    const list = this.listeners.get(name);
    if (list === undefined) return;
    for (const l of list) {
      try {
        (l as Listener<M[K]>)(event);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
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
}
