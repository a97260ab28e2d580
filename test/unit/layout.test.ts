import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(dir, file));
}

/** Every relative import of the files under `dir`, as a path from the project root. */
function importsOf(dir: string): { file: string; target: string }[] {
  return sourceFiles(dir).flatMap((file) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(IMPORT)].map((match) => ({
      file,
      target: path.normalize(path.join(path.dirname(file), match[1]!)),
    })),
  );
}

describe('the layout shows the architecture', () => {
  it('src/ never imports seed/, bench/, test/ or scripts/', () => {
    const outside = importsOf('src').filter(({ target }) => !target.startsWith(`src${path.sep}`));
    expect(outside).toEqual([]);
  });

  it('the domain rules import nothing but each other', () => {
    const outside = importsOf('src/domain').filter(({ target }) => !target.startsWith(path.join('src', 'domain') + path.sep));
    expect(outside).toEqual([]);
  });
});
