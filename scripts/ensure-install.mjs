// `npm start` and `npm test` on a fresh clone: install the npm packages when they are missing or older
// than package-lock.json. Uses only Node built-ins, since it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs);

if (stale) {
  process.stderr.write('papergraph: installing npm packages (first run)…\n');
  const command = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  const result = spawnSync('npm', command, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('papergraph: npm could not install the packages (see above)\n');
    process.exit(result.status ?? 1);
  }
}
