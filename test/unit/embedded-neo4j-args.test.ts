import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedNeo4jError, __internal, startEmbeddedNeo4j } from '../../src/neo4j/embedded.ts';

// Pure checks of the embedded-Neo4j module: nothing here starts Java or Maven.

const { argfileQuote, stripAnsi, parseSize } = __internal;

describe('java @argfile quoting', () => {
  it('wraps in double quotes and escapes backslashes and quotes', () => {
    expect(argfileQuote('/a/b.jar:/c d/e.jar')).toBe('"/a/b.jar:/c d/e.jar"');
    expect(argfileQuote('C:\\m2\\x.jar;C:\\y "z".jar')).toBe('"C:\\\\m2\\\\x.jar;C:\\\\y \\"z\\".jar"');
  });
});

describe('Maven output parsing', () => {
  it('strips ANSI colour codes', () => {
    expect(stripAnsi('\u001b[0m\u001b[0m[INFO] ok\u001b[1;31m')).toBe('[INFO] ok');
  });

  it('turns Maven transfer sizes into bytes', () => {
    expect(parseSize('18', 'kB')).toBe(18_000);
    expect(parseSize('2.5', 'MB')).toBe(2_500_000);
    expect(parseSize('1,024', 'B')).toBe(1024);
    expect(parseSize('x', 'MB')).toBe(0);
  });
});

describe('startEmbeddedNeo4j argument and port checks', () => {
  let blocker: net.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  const dataDir = path.join(os.tmpdir(), 'papergraph-embedded-args-test');

  it('rejects an invalid port', async () => {
    await expect(startEmbeddedNeo4j({ boltPort: 70_000, dataDir })).rejects.toThrow(EmbeddedNeo4jError);
    await expect(startEmbeddedNeo4j({ boltPort: 0, dataDir })).rejects.toThrow(/invalid Bolt port/);
  });

  it('rejects non-positive memory sizes', async () => {
    await expect(startEmbeddedNeo4j({ boltPort: 7697, dataDir, heapMb: 0 })).rejects.toThrow(/heapMb/);
    await expect(startEmbeddedNeo4j({ boltPort: 7697, dataDir, pageCacheMb: 1.5 })).rejects.toThrow(/pageCacheMb/);
  });

  it('refuses a Bolt port that is already taken, before spawning anything', async () => {
    blocker = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      blocker!.once('error', reject);
      blocker!.listen({ port: 0, host: '127.0.0.1' }, () => resolve((blocker!.address() as net.AddressInfo).port));
    });
    const attempt = startEmbeddedNeo4j({ boltPort: port, dataDir });
    await expect(attempt).rejects.toThrow(EmbeddedNeo4jError);
    await expect(attempt).rejects.toThrow(`port ${port} is already in use — is another papergraph/Neo4j running? set NEO4J_BOLT_PORT or NEO4J_URI`);
  });
});
