import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { TypedEvents } from '../../../src/core/streams/typed-events.js';
import type { VenueError } from '../../../src/core/errors.js';

interface Events {
  state: { readonly n: number };
  problem: { readonly error: VenueError };
}

async function warningsDuring(run: () => void): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    run();
    await tick();
    await tick();
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

test('a throwing listener is handed to the reporter; the other listeners still run', () => {
  const problems: VenueError[] = [];
  const events: TypedEvents<Events> = new TypedEvents((error) => events.emit('problem', { error }));
  events.on('problem', ({ error }) => problems.push(error));
  const seen: number[] = [];
  events.on('state', () => {
    throw new Error('bug in a listener');
  });
  events.on('state', ({ n }) => seen.push(n));
  events.emit('state', { n: 1 });
  assert.deepEqual(seen, [1]);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.code, 'invalid-argument');
  assert.match(problems[0]?.message ?? '', /a listener of 'state' threw: bug in a listener/);
  assert.equal((problems[0]?.cause as Error).message, 'bug in a listener');
});

test('a listener that throws on the report itself becomes a process warning, without recursion', async () => {
  let reports = 0;
  const events: TypedEvents<Events> = new TypedEvents((error) => {
    reports++;
    events.emit('problem', { error });
  });
  events.on('problem', () => {
    throw new Error('bug in the problem listener');
  });
  events.on('state', () => {
    throw new Error('bug in a state listener');
  });
  const warnings = await warningsDuring(() => events.emit('state', { n: 1 }));
  assert.equal(reports, 1);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0] as string, /a listener of 'problem' threw: bug in the problem listener/);
});

test('without a reporter a throwing listener is a process warning, never an uncaught exception', async () => {
  const events = new TypedEvents<Events>();
  events.on('state', () => {
    throw new Error('nobody reports me');
  });
  const warnings = await warningsDuring(() => events.emit('state', { n: 2 }));
  assert.ok(warnings.some((w) => /nobody reports me/.test(w)));
});
