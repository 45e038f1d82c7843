/** Unit tests of the run-time argument checks every entry point uses (core/validation.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from '../../src/core/decimal.js';
import { VenueError } from '../../src/core/errors.js';
import { argumentChecks, check, describe, keysOf } from '../../src/core/validation.js';

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => VenueError.is(e, 'invalid-argument') && message.test(e.message), String(message));
}

test('oneOf compares exactly and lists the allowed values; optionalOneOf lets undefined through', () => {
  assert.equal(check.oneOf('side', 'buy', ['buy', 'sell']), 'buy');
  for (const bad of ['BUY', 'Buy', 'long', '', undefined, null, 1, ['buy'], { toString: () => 'buy' }]) refused(() => check.oneOf('side', bad, ['buy', 'sell']), /^invalid-argument: side must be one of "buy", "sell"; got /);
  refused(() => check.oneOf('side', 'BUY', ['buy', 'sell']), /got "BUY"$/);
  assert.equal(check.optionalOneOf('tif', undefined, ['GTC']), undefined);
  refused(() => check.optionalOneOf('tif', null, ['GTC']), /tif must be one of "GTC"; got null/);
});

test('lookup maps only the table own keys, never a default or an inherited key', () => {
  const table = { buy: 'BUY', sell: 'SELL' };
  assert.equal(check.lookup('side', 'sell', table), 'SELL');
  for (const bad of ['toString', 'constructor', '__proto__', 'BUY', undefined]) refused(() => check.lookup('side', bad, table), /side must be one of "buy", "sell"/);
});

test('decimal: a Decimal, a canonical string or a safe integer; nothing else', () => {
  assert.equal(check.decimal('amount', '0.010').toString(), '0.010', 'the written scale is kept');
  assert.equal(check.decimal('amount', '-3').toString(), '-3');
  assert.equal(check.decimal('amount', 7).toString(), '7');
  const d = Decimal.from('1.5');
  assert.equal(check.decimal('amount', d), d);
  for (const bad of [0.1, Number.NaN, Infinity, -Infinity, 2 ** 53, 'NaN', ' 0.01 ', '0.01 ', '', '1e-3', '+1', '.5', '5.', '01', '--1', '0x10', '1_000', '１', {}, [], null, undefined, 10n, true]) {
    refused(() => check.decimal('amount', bad), /^invalid-argument: amount must be a decimal string such as "0\.01", a Decimal or a safe integer; got /);
  }
  refused(() => check.decimal('price', 0.1), /got 0\.1 \(a JS number that is not a safe integer is inexact: pass a string\)/);
  refused(() => check.decimal('price', '0', { positive: true }), /price must be positive; got 0/);
  refused(() => check.decimal('price', '-0.5', { positive: true }), /price must be positive; got -0\.5/);
  assert.equal(check.optionalDecimal('price', undefined), undefined);
});

test('integer: a safe integer within the range, the range named', () => {
  assert.equal(check.integer('depth', 10, { min: 1, max: 1000 }), 10);
  for (const bad of [0, -1, 1001, 1.5, Number.NaN, Infinity, '10', null, undefined, 10n]) refused(() => check.integer('depth', bad, { min: 1, max: 1000 }), /^invalid-argument: depth must be an integer from 1 to 1000; got /);
  refused(() => check.integer('since', -1, { min: 0 }), /since must be an integer ≥ 0; got -1/);
  refused(() => check.integer('n', 2 ** 53), /n must be a safe integer; got 9007199254740992/);
  assert.equal(check.optionalInteger('limit', undefined, { min: 1 }), undefined);
  assert.equal(check.number('factor', 1.5, { min: 1, max: 10 }), 1.5);
  refused(() => check.number('factor', Number.NaN, { min: 1, max: 10 }), /factor must be a number from 1 to 10; got NaN/);
});

test('boolean, string, url, signal', () => {
  assert.equal(check.boolean('postOnly', false), false);
  for (const bad of ['true', 1, 0, null]) refused(() => check.boolean('postOnly', bad), /postOnly must be true or false; got /);
  assert.equal(check.string('symbol', 'BTC/USDT'), 'BTC/USDT');
  refused(() => check.string('symbol', ''), /symbol must be a non-empty string; got ""/);
  refused(() => check.string('id', 'a b', { pattern: /^\w+$/, expected: 'letters and digits' }), /id must be letters and digits; got "a b"/);
  refused(() => check.string('secret', 42, { secret: true }), /secret must be a non-empty string; got a number$/);
  assert.equal(check.url('rest', 'http://127.0.0.1:1', ['https', 'http']), 'http://127.0.0.1:1');
  refused(() => check.url('ws', 'http://x', ['wss', 'ws']), /ws must be a wss or ws URL; got "http:\/\/x"/);
  refused(() => check.url('rest', 'not a url', ['https']), /rest must be a https URL/);
  const signal = new AbortController().signal;
  assert.equal(check.signal('signal', signal), signal);
  assert.equal(check.signal('signal', undefined), undefined);
  refused(() => check.signal('signal', { aborted: false }), /signal must be an AbortSignal; got an object/);
});

test('options: a plain object whose keys are all known; a typo is named with the allowed keys', () => {
  assert.deepEqual(check.options('createOrder options', undefined, ['postOnly']), {});
  assert.deepEqual(check.options('createOrder options', { postOnly: true }, ['postOnly']), { postOnly: true });
  refused(() => check.options('createOrder options', { postonly: true }, ['postOnly', 'reduceOnly']), /createOrder options has an unknown option "postonly" \(allowed: postOnly, reduceOnly\)/);
  refused(() => check.options('createOrder options', { postonly: undefined }, ['postOnly']), /unknown option "postonly"/);
  for (const bad of [null, 'x', 5, [], new Date(0), new AbortController().signal]) refused(() => check.options('o', bad, []), /o must be an options object; got /);
  assert.equal(Object.keys(check.options('o', Object.create(null) as object, [])).length, 0, 'an object without prototype is a plain object');
});

test('list: an array of checked items, with a minimum and no repeats when asked', () => {
  assert.deepEqual(check.list('segments', ['spot'], (f, v) => check.oneOf(f, v, ['spot', 'usdm']), { min: 1 }), ['spot']);
  refused(() => check.list('segments', ['spot', 'futures'], (f, v) => check.oneOf(f, v, ['spot', 'usdm'])), /segments\[1\] must be one of "spot", "usdm"; got "futures"/);
  refused(() => check.list('segments', [], (f, v) => v, { min: 1 }), /segments must hold at least 1 item; got none/);
  refused(() => check.list('segments', ['a', 'a'], (f, v) => v, { unique: true }), /segments must not repeat an item/);
  refused(() => check.list('segments', 'spot', (f, v) => v), /segments must be an array; got "spot"/);
});

test('argumentChecks names the venue; describe shows values without their whole length', () => {
  const c = argumentChecks({ venue: 'okx' });
  assert.throws(() => c.oneOf('env', 'mainnet', ['production', 'demo']), (e: unknown) => VenueError.is(e, 'invalid-argument') && e.venue === 'okx' && e.message === 'okx invalid-argument: env must be one of "production", "demo"; got "mainnet"');
  assert.equal(describe('x'.repeat(100)), `"${'x'.repeat(40)}"…`);
  assert.equal(describe(Decimal.from('1.50')), 'Decimal 1.50');
  assert.equal(describe(new Map()), 'a Map');
  assert.deepEqual(keysOf<{ a?: number; b: string }>({ a: true, b: true }), ['a', 'b']);
});
