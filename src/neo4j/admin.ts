/**
 * Neo4j's own `neo4j-admin` (org.neo4j.cli.AdminTool), run from the same Maven-resolved jars and JDK
 * as the embedded Neo4j (embedded.ts): `neo4j-admin database import full` is the offline bulk
 * importer that writes a store directly from CSV files.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { neo4jClasspath } from './embedded.ts';

export class Neo4jAdminError extends Error {
  override name = 'Neo4jAdminError';
}

export interface Neo4jAdminOptions {
  /** NEO4J_HOME: the store goes to <home>/data/databases/<database>, as the embedded Neo4j keeps it. */
  home: string;
  /** Java heap of the tool, MB (the importer keeps its large structures off heap). Default 1024. */
  heapMb?: number;
  /** Every line the tool prints (stdout and stderr). */
  onLine?: (line: string) => void;
  projectRoot?: string;
}

/** Quoted for a POSIX shell when needed, so a printed command can be pasted as it is. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `neo4j-admin <args>` as a user would type it on the machine where the store lives. */
export function neo4jAdminCommand(args: string[]): string {
  return ['neo4j-admin', ...args].map(shellQuote).join(' ');
}

/**
 * Runs `neo4j-admin <args>`; rejects with the tool's last lines when it fails. The tool reads no
 * configuration file: NEO4J_CONF points at an empty directory, so it uses the same defaults as the
 * embedded Neo4j.
 */
export async function runNeo4jAdmin(args: string[], options: Neo4jAdminOptions): Promise<void> {
  const { java, classpathArgFile } = await neo4jClasspath({ projectRoot: options.projectRoot, onProgress: options.onLine });
  const conf = await mkdtemp(path.join(os.tmpdir(), 'papergraph-admin-conf-'));
  const tail: string[] = [];
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        java,
        [`-Xmx${options.heapMb ?? 1024}m`, '-XX:+UseG1GC', '-Dfile.encoding=UTF-8', `@${classpathArgFile}`, 'org.neo4j.cli.AdminTool', ...args],
        {
          env: { ...process.env, NEO4J_HOME: path.resolve(options.home), NEO4J_CONF: conf },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          tail.push(line);
          if (tail.length > 40) tail.shift();
          options.onLine?.(line);
        });
      }
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) {
      const lines = tail.filter((line) => line.trim() !== '' && !/^[.\s]+\d+%/.test(line));
      throw new Neo4jAdminError(`neo4j-admin ${args.slice(0, 3).join(' ')} failed (exit ${String(code)}):\n${lines.slice(-15).join('\n')}`);
    }
  } finally {
    await rm(conf, { recursive: true, force: true });
  }
}
