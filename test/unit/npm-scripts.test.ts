import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('npm scripts', () => {
  // A fresh clone has no node_modules: any script may be the first command run in it, and tsx, vitest
  // and tsc come from node_modules.
  it('each installs the packages first when they are missing, so that any one works as the first command after a clone', () => {
    const withoutInstall = Object.entries(packageJson.scripts).filter(([, command]) => !command.startsWith('node scripts/ensure-install.mjs && '));
    expect(withoutInstall).toEqual([]);
  });
});
