import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal, decimalsOf, formatScaled, parseScaled } from '../../src/core/decimal.js';
import { VenueError } from '../../src/core/errors.js';

test('keeps the venue string exactly when round-tripping', () => {
  for (const s of ['0.01000000', '64123.45000000', '-0.5', '0', '123', '0.00000001', '99999999999999999999.123456789']) {
    assert.equal(Decimal.from(s).toString(), s);
  }
});

test('adds, subtracts and multiplies without float error', () => {
  assert.equal(Decimal.from('0.1').add('0.2').toString(), '0.3');
  assert.ok(Decimal.from('0.3').sub('0.1').eq('0.2'));
  assert.equal(Decimal.from('1.10').mul('3').normalize().toString(), '3.3');
  assert.equal(Decimal.from('2.2504').mul('10000').normalize().toString(), '22504');
});

test('compares values of different scales numerically', () => {
  assert.ok(Decimal.from('1.50').eq('1.5'));
  assert.ok(Decimal.from('-2').lt('-1.99'));
  assert.equal(Decimal.from('10').cmp('9.9999'), 1);
});

test('divides with an explicit scale and rounding', () => {
  assert.equal(Decimal.from('1').div('3', 4).toString(), '0.3333');
  assert.equal(Decimal.from('2').div('3', 2, 'half-up').toString(), '0.67');
  assert.equal(Decimal.from('0.125').toScale(2, 'half-even').toString(), '0.12');
  assert.equal(Decimal.from('0.135').toScale(2, 'half-even').toString(), '0.14');
  assert.equal(Decimal.from('-0.125').toScale(2, 'floor').toString(), '-0.13');
  assert.throws(() => Decimal.from('1').div('0', 2), (e) => VenueError.is(e, 'invalid-argument'));
});

test('quantizes to a tick and checks multiples', () => {
  assert.equal(Decimal.from('64123.456').quantize('0.01').toString(), '64123.450');
  assert.equal(Decimal.from('64123.456').quantize('0.01', 'up').toString(), '64123.460');
  assert.ok(Decimal.from('0.03').isMultipleOf('0.01'));
  assert.ok(!Decimal.from('0.035').isMultipleOf('0.01'));
});

test('rejects invalid decimal strings with a decode error', () => {
  for (const s of ['', 'abc', '1.2.3', '--1', '0x10', 'NaN', 'Infinity', '.']) {
    assert.throws(() => Decimal.from(s), (e) => VenueError.is(e, 'decode'), s);
  }
  assert.throws(() => Decimal.from(0.1), (e) => VenueError.is(e, 'invalid-argument'));
});

test('accepts exponent notation exactly', () => {
  assert.equal(Decimal.from('1e-8').toString(), '0.00000001');
  assert.equal(Decimal.from('1.5E3').toString(), '1500');
});

test('counts the decimals of a step size', () => {
  assert.equal(decimalsOf('0.01000000'), 2);
  assert.equal(decimalsOf('1.00000000'), 0);
  assert.equal(decimalsOf('0.00001'), 5);
});

test('parses scaled integers digit by digit and refuses what does not fit', () => {
  assert.equal(parseScaled('64123.45000000', 2), 6412345);
  assert.equal(parseScaled('0.01234000', 5), 1234);
  assert.equal(parseScaled('5', 3), 5000);
  assert.equal(parseScaled('-1.5', 1), -15);
  assert.ok(Number.isNaN(parseScaled('0.015', 2)), 'non-zero digit beyond the scale');
  assert.ok(Number.isNaN(parseScaled('123456789012.12345678', 8)), 'beyond 2^53');
  assert.ok(Number.isNaN(parseScaled('1e5', 0)));
  assert.ok(Number.isNaN(parseScaled('', 2)));
  assert.equal(formatScaled(6412345, 2), '64123.45');
  assert.equal(formatScaled(5n, 3), '0.005');
});

test('agrees with Decimal on random strings', () => {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 5000; i++) {
    const int = String(Math.floor(rnd() * 1e6));
    const frac = String(Math.floor(rnd() * 1e8)).padStart(8, '0');
    const s = `${int}.${frac}`;
    const v = parseScaled(s, 8);
    assert.equal(Decimal.fromScaled(v, 8).toString(), Decimal.from(s).toString());
  }
});
