/**
 * Hostile edits of a real recorded frame for classification tests: a top-level or nested field deleted, renamed or
 * replaced, as a buggy or hostile venue could send it (the frame itself always comes from `test/fixtures/`). Also the
 * non-object JSON texts every venue's classify must refuse.
 */

/** JSON texts that are not an object (the fuzz test's `text:non-object` mutants). */
export const NON_OBJECT_JSON: readonly string[] = ['42', '"stream"', 'null', 'true', '[]', '[1,2,3]', '-0', '1e400'];

type Obj = Record<string, unknown>;

/** A copy of `frame` with the value at `path` replaced by `value` (`undefined`: deleted). */
export function withValue(frame: unknown, path: readonly string[], value: unknown): Obj {
  const copy = structuredClone(frame) as Obj;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Obj;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** A copy of `frame` with the field at `path` renamed to `to` (its value kept). */
export function renamed(frame: unknown, path: readonly string[], to: string): Obj {
  const copy = structuredClone(frame) as Obj;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Obj;
  const last = path[path.length - 1] as string;
  parent[to] = parent[last];
  delete parent[last];
  return copy;
}

/**
 * The ways a routing field can break: deleted, renamed (`_` suffix and upper case), or replaced by a number, null, an
 * object or an array. Each entry is a label and the edited frame.
 */
export function brokenField(frame: unknown, path: readonly string[]): Array<[string, Obj]> {
  const name = path.join('.');
  const last = path[path.length - 1] as string;
  return [
    [`${name} deleted`, withValue(frame, path, undefined)],
    [`${name} renamed`, renamed(frame, path, `${last}_`)],
    [`${name} upper-cased`, renamed(frame, path, last.toUpperCase())],
    [`${name} → 5`, withValue(frame, path, 5)],
    [`${name} → null`, withValue(frame, path, null)],
    [`${name} → {}`, withValue(frame, path, {})],
    [`${name} → []`, withValue(frame, path, [])],
  ];
}
