import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_JSON_DEPTH, hasUnsafeInteger, idCompare, idIsNext, idString, parseJson, quoteUnsafeIntegers, stringifyJson, updateId } from '../../src/core/json.js';
import { VenueError } from '../../src/core/errors.js';

test('keeps every digit of ids beyond 2^53', () => {
  const v = parseJson('{"orderId":12345678901234567890,"t":9007199254740993,"p":"1.5","small":123}') as Record<string, unknown>;
  assert.equal(v.orderId, '12345678901234567890');
  assert.equal(v.t, '9007199254740993');
  assert.equal(v.small, 123);
  assert.equal(idString(v.orderId, 'orderId'), '12345678901234567890');
});

test('leaves long digit runs inside strings and decimals alone', () => {
  const text = '{"c":"x-12345678901234567890","p":1234567890123456.5,"n":[-99999999999999999999]}';
  const v = parseJson(text) as Record<string, unknown>;
  assert.equal(v.c, 'x-12345678901234567890');
  assert.deepEqual(v.n, ['-99999999999999999999']);
  assert.equal(quoteUnsafeIntegers('{"a":"\\"12345678901234567890"}'), '{"a":"\\"12345678901234567890"}');
});

test('keeps ids beyond 2^53 exact wherever they sit in the document, including 2^53 itself', () => {
  const v = parseJson('{"stream":"s","data":{"k":{"f":9007199254740992,"L":1},"rows":[[1,{"id":-9007199254740993}]],"u":5}}') as {
    data: { k: { f: unknown; L: unknown }; rows: [[number, { id: unknown }]]; u: unknown };
  };
  assert.equal(v.data.k.f, '9007199254740992');
  assert.equal(v.data.k.L, 1);
  assert.equal(v.data.rows[0][1].id, '-9007199254740993');
  assert.equal(v.data.u, 5);
  assert.deepEqual(parseJson('{"top":12345678901234567890}'), { top: '12345678901234567890' });
  assert.equal(parseJson('12345678901234567890'), '12345678901234567890');
  assert.deepEqual(parseJson('[1,"2",[3]]'), [1, '2', [3]]);
});

test('flags decoded values that an integer literal beyond 2^53 would leave, and nothing else', () => {
  assert.equal(hasUnsafeInteger({ a: 9007199254740991, b: [-9007199254740991, 1.5, 1e-300], c: { d: 'x', e: null, f: true } }), false);
  assert.equal(hasUnsafeInteger({ a: [[['1', 2 ** 53]]] }), true);
  assert.equal(hasUnsafeInteger([{ x: { y: -(2 ** 60) } }]), true);
  assert.equal(hasUnsafeInteger({ big: 1e21 }), true); // an exponent literal re-parses unchanged: only slower
  assert.equal(hasUnsafeInteger({ inf: Number.POSITIVE_INFINITY, nan: Number.NaN }), false);
});

test('reads sequence ids as numbers when safe and bigints when not', () => {
  assert.equal(updateId(600859605926, 'u'), 600859605926);
  assert.equal(updateId('12345678901234567890', 'u'), 12345678901234567890n);
  assert.ok(idIsNext(9007199254740991, 9007199254740992n));
  assert.equal(idCompare(5, 6n), -1);
  assert.throws(() => updateId(1.5, 'u'), (e) => VenueError.is(e, 'decode') && e.message.includes('u'));
});

test('reports malformed JSON as a decode error', () => {
  assert.throws(() => parseJson('{"a":'), (e) => VenueError.is(e, 'decode'));
});

test('writes bigints as plain integers', () => {
  assert.equal(stringifyJson({ a: 12345678901234567890n }), '{"a":"12345678901234567890"}');
});

test('refuses JSON nested deeper than MAX_JSON_DEPTH as decode, never a RangeError, even 1,000,000 deep', () => {
  const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
  assert.deepEqual(JSON.stringify(parseJson(nested(MAX_JSON_DEPTH))), nested(MAX_JSON_DEPTH));
  for (const depth of [MAX_JSON_DEPTH + 1, 10_000, 1_000_000]) {
    assert.throws(() => parseJson(nested(depth)), (e: unknown) => VenueError.is(e, 'decode') && /nested deeper than 64/.test((e as Error).message), `depth ${depth}`);
  }
  const deepObject = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  assert.throws(() => parseJson(deepObject), (e: unknown) => VenueError.is(e, 'decode'));
  // A 64-bit id early in the document (the walk stops there and re-parses) does not let depth through.
  assert.throws(() => parseJson(`{"id":12345678901234567890,"x":${nested(10_000)}}`), (e: unknown) => VenueError.is(e, 'decode'));
});
