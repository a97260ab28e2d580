/**
 * The server as it was at another git revision, for `--baseline REV`: that revision's files (git
 * archive) in a temporary folder, run with this checkout's node_modules, so that both servers are
 * measured in the same rounds against the same Neo4j. A change's effect then shows free of the drift
 * of a shared machine, which moved the floors by a fifth between runs an hour apart.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface BaselineTree {
  /** The full commit id the revision named. */
  commit: string;
  root: string;
  remove(): Promise<void>;
}

export async function checkOutBaseline(repositoryRoot: string, revision: string): Promise<BaselineTree> {
  const git = (args: string[], input?: Buffer) => execFileSync('git', args, { cwd: repositoryRoot, input, maxBuffer: 1 << 30 });
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`])
      .toString('utf8')
      .trim();
  } catch {
    throw new Error(`--baseline: ${revision} names no commit of this repository`);
  }
  const root = await mkdtemp(path.join(os.tmpdir(), 'apibench-baseline-'));
  try {
    execFileSync('tar', ['-x', '-C', root], { input: git(['archive', '--format=tar', commit]), maxBuffer: 1 << 30 });
    await symlink(path.join(repositoryRoot, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return { commit, root, remove: () => rm(root, { recursive: true, force: true }) };
}
