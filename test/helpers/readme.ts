/** Test helpers: the README's TypeScript examples, each with the heading it stands under, and the repository root. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Absolute path of the repository (the package root). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ReadmeExample {
  /** The nearest `##`/`###` heading above the block. */
  readonly heading: string;
  /** The block's text, exactly as in the README. */
  readonly code: string;
}

/** Every ```ts block of README.md, in order. */
export function readmeExamples(): ReadmeExample[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const out: ReadmeExample[] = [];
  let heading = '';
  let code: string[] | undefined;
  for (const line of text.split('\n')) {
    if (code !== undefined) {
      if (line.startsWith('```')) {
        out.push({ heading, code: code.join('\n') + '\n' });
        code = undefined;
      } else code.push(line);
    } else if (/^```(ts|typescript)\s*$/.test(line)) code = [];
    else if (/^#{2,3} /.test(line)) heading = line.replace(/^#+ /, '').trim();
  }
  return out;
}

/** The example with `venuekit` and `venuekit/testing` pointed at this checkout's sources (nothing else changed). */
export function againstSources(code: string): string {
  const to = (path: string): string => JSON.stringify(pathToFileURL(join(ROOT, path)).href);
  return code.replace(/from (['"])venuekit\/testing\1/g, `from ${to('src/testing/index.ts')}`).replace(/from (['"])venuekit\1/g, `from ${to('src/index.ts')}`);
}
