import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Cypher, QueryTimeoutError } from '../../src/db/run.ts';
import { operationLimits } from '../../src/graphql/armor.ts';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { createPapergraphYoga } from '../../src/yoga.ts';
import { graphql } from '../helpers/graphql.ts';
import { seededYoga } from '../helpers/seeded-yoga.ts';

const server = seededYoga();

function errorsOf(response: { errors?: { message: string }[] }): string {
  return (response.errors ?? []).map((error) => error.message).join(' | ');
}

/** A query whose deepest leaf is at exactly `depth` (root field = 1): related levels add 3 each. */
function queryOfDepth(depth: number): string {
  const levels = Math.floor((depth - 2) / 3);
  const rest = depth - 1 - levels * 3;
  const tail = ['title', 'relatedCount', 'related(first: 1) { totalCount }', 'related(first: 1) { edges { cursor } }'][rest] ?? '';
  let inner = tail;
  for (let i = 0; i < levels; i += 1) inner = `related(first: 1) { edges { node { ${inner} } } }`;
  return `{ paper(arxivId: "2412.03275") { ${inner} } }`;
}

describe('operation limits', () => {
  it(`accepts depth ${operationLimits.maxDepth} and refuses depth ${operationLimits.maxDepth + 1}`, async () => {
    const under = await graphql(server.yoga, queryOfDepth(operationLimits.maxDepth));
    expect(under.errors).toBeUndefined();
    const over = await graphql(server.yoga, queryOfDepth(operationLimits.maxDepth + 1));
    expect(errorsOf(over)).toMatch(/^Query depth limit of 14 exceeded/);
    expect(over.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(over.status).toBe(400);
    expect(over.data ?? null).toBeNull();
  });

  it(`accepts ${operationLimits.maxAliases} aliases and refuses ${operationLimits.maxAliases + 1}`, async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: stats { papers }`).join(' ')} }`;
    expect((await graphql(server.yoga, aliases(operationLimits.maxAliases))).errors).toBeUndefined();
    const over = await graphql(server.yoga, aliases(operationLimits.maxAliases + 1));
    expect(errorsOf(over)).toMatch(/^Aliases limit of 15 exceeded/i);
    expect(over.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
  });

  it(`accepts ${operationLimits.maxDirectives} directives and refuses ${operationLimits.maxDirectives + 1}`, async () => {
    const directives = (n: number) => `{ stats { ${'papers @include(if: true) '.repeat(n)} } }`;
    expect((await graphql(server.yoga, directives(operationLimits.maxDirectives))).errors).toBeUndefined();
    const over = await graphql(server.yoga, directives(operationLimits.maxDirectives + 1));
    expect(errorsOf(over)).toMatch(/^Directives limit of 20 exceeded/i);
    expect(over.errors?.[0]?.extensions?.code).toBe('TOO_MANY_DIRECTIVES');
  });

  it(`accepts ${operationLimits.maxTokens} tokens and refuses ${operationLimits.maxTokens + 1}`, async () => {
    const id = encodeGlobalId('Paper', 'nothing');
    // `{ shortestPath ( from : "…" to : "…" via : [` is 12 tokens and `] ) { length } }` 6 (commas and <EOF> do not count).
    const tokens = (n: number) => `{ shortestPath(from: "${id}", to: "${id}", via: [${'AUTHORED '.repeat(n - 18)}]) { length } }`;
    const under = await graphql(server.yoga, tokens(operationLimits.maxTokens));
    expect(under.errors).toBeUndefined();
    const over = await graphql(server.yoga, tokens(operationLimits.maxTokens + 1));
    expect(errorsOf(over)).toMatch(/^Token limit of 2000 exceeded/i);
    expect(over.errors?.[0]?.extensions?.code).toBe('TOO_MANY_TOKENS');
    expect(over.status).toBe(400);
  });

  it('accepts the documented papers → authors → papers → related operation and refuses it at first: 100', async () => {
    const shape = (outer: number, inner: number) =>
      `{ papers(first: ${outer}) { edges { node { authors { papers(first: ${inner}) { edges { node { related(first: ${inner}) { edges { node { title } } } } } } } } } } }`;
    expect((await graphql(server.yoga, shape(50, 5))).errors).toBeUndefined();
    const refused = await graphql(server.yoga, shape(100, 100));
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(errorsOf(refused)).toMatch(/^The operation is too large: its estimated cost is \d+, and at most 100000 is allowed/);
  });

  it('counts first/last given as variables in the cost, before anything reaches Neo4j', async () => {
    const operation = `query ($outer: Int, $inner: Int) {
      papers(first: $outer) { edges { node { ...Deep } } }
    }
    fragment Deep on Paper { authors { papers(first: $inner) { edges { node { related(first: $inner) { edges { node { title } } } } } } } }`;
    const accepted = await graphql(server.yoga, operation, { outer: 50, inner: 5 });
    expect(accepted.errors).toBeUndefined();
    const counting = createPapergraphYoga({ database: server.database, debugExtensions: true });
    const refused = await graphql(counting, operation, { outer: 100, inner: 100 });
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(refused.data).toBeUndefined();
    expect(refused.extensions?.cypherRoundTrips ?? 0).toBe(0);
  });

  it('caps every list argument', async () => {
    for (const query of [
      '{ papers(first: 101) { totalCount } }',
      '{ authors(last: 101) { totalCount } }',
      '{ search(query: "x", first: 101) { score } }',
      '{ paper(arxivId: "2412.03275") { neighborhood(limit: 501) { nodes { id } } } }',
      '{ paper(arxivId: "2412.03275") { recommendations(first: 101) { score } } }',
      `{ nodes(ids: [${Array.from({ length: 101 }, () => `"${encodeGlobalId('Paper', 'x')}"`).join(',')}]) { id } }`,
    ]) {
      const response = await graphql(server.yoga, query);
      expect(response.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
  });
});

describe('cost of an operation', () => {
  const arxivId = '2412.03275';
  const neighbourhoodInNeighbourhood = (size: string) => {
    const field = size ? `neighborhood(${size})` : 'neighborhood';
    return `${field} { nodes { id label paper { ${field} { nodes { id label } } } } }`;
  };

  it('refuses the small request of 15 nested 500-node neighbourhoods at validation, with QUERY_TOO_COMPLEX, running nothing', async () => {
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: paper(arxivId: "${arxivId}") { ${neighbourhoodInNeighbourhood('depth: 3, limit: 500')} }`);
    const hostile = `{ ${aliases.join(' ')} }`;
    expect(hostile.length).toBeLessThan(2_600);
    const counting = createPapergraphYoga({ database: server.database, debugExtensions: true });
    const refused = await graphql(counting, hostile);
    expect(refused.status).toBe(400);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxCost: operationLimits.maxCost });
    expect(refused.errors?.[0]?.extensions?.cost).toBeGreaterThan(1_000 * operationLimits.maxCost);
    // Refused at validation: execution, which would report its round-trips, never started.
    expect(refused.data).toBeUndefined();
    expect(refused.extensions?.cypherRoundTrips).toBeUndefined();
  });

  it('counts depth and limit, defaults included, inline or as variables, and nested lists multiply', async () => {
    const inline = (size: string) => `{ paper(arxivId: "${arxivId}") { ${neighbourhoodInNeighbourhood(size)} } }`;
    expect((await graphql(server.yoga, inline('depth: 1, limit: 10'))).errors).toBeUndefined();
    // The defaults (depth 1, limit 100) count as if given; depth and limit multiply.
    const counting = createPapergraphYoga({ database: server.database, debugExtensions: true });
    const costOf = async (size: string) =>
      (await graphql(counting, `{ paper(arxivId: "${arxivId}") { ${size ? `neighborhood(${size})` : 'neighborhood'} { nodes { id } } } }`)).extensions?.cost;
    expect(await costOf('')).toBe(await costOf('depth: 1, limit: 100'));
    expect(await costOf('depth: 3, limit: 100')).toBe(1 + 1 + 300 * (1 + 1));
    expect(await costOf('depth: 1, limit: 500')).toBe(1 + 1 + 500 * (1 + 1));
    const byVariables = `query ($depth: Int, $limit: Int) { paper(arxivId: "${arxivId}") { ${neighbourhoodInNeighbourhood('depth: $depth, limit: $limit')} } }`;
    expect((await graphql(server.yoga, byVariables, { depth: 1, limit: 10 })).errors).toBeUndefined();
    const refused = await graphql(server.yoga, byVariables, { depth: 3, limit: 500 });
    expect(refused.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(refused.data).toBeUndefined();
  });

  it('counts a list without first or last at its default page size, and a path search by maxDepth and first', async () => {
    const nested = (size: string) =>
      `{ papers${size} { edges { node { related${size} { edges { node { related${size} { edges { node { relatedBy${size} { edges { node { title } } } } } } } } } } } } }`;
    expect((await graphql(server.yoga, nested('(first: 3)'))).errors).toBeUndefined();
    expect((await graphql(server.yoga, nested(''))).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');

    const id = encodeGlobalId('Paper', 'nothing');
    const paths = (size: string, limit: number) =>
      `{ allShortestPaths(from: "${id}", to: "${id}"${size}) { nodes { paper { neighborhood(limit: ${limit}) { nodes { id } } } } } }`;
    expect((await graphql(server.yoga, paths(', first: 1, maxDepth: 2', 10))).errors).toBeUndefined();
    expect((await graphql(server.yoga, paths(', first: 50, maxDepth: 10', 200))).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('queues heavy operations, refusing them with SERVER_BUSY (503) once the queue is full, and never a cheap one', async () => {
    const heavy = `{ paper(arxivId: "${arxivId}") { neighborhood(depth: 3, limit: 500) { nodes { id label kind distance } edges { type source target weight } } } }`;
    const counting = createPapergraphYoga({ database: server.database, debugExtensions: true });
    expect((await graphql(counting, heavy)).extensions?.cost).toBeGreaterThan(operationLimits.heavyCost);
    const burst = 2 * (operationLimits.heavySlots + operationLimits.heavyQueue) + 4;
    const answers = await Promise.all([
      ...Array.from({ length: burst }, () => graphql(server.yoga, heavy)),
      ...Array.from({ length: burst }, () => graphql(server.yoga, '{ stats { papers } }')),
    ]);
    const heavyAnswers = answers.slice(0, burst);
    const busy = heavyAnswers.filter((answer) => answer.errors?.[0]?.extensions?.code === 'SERVER_BUSY');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((answer) => answer.status === 503 && answer.data === undefined)).toBe(true);
    const served = heavyAnswers.filter((answer) => answer.errors === undefined);
    expect(served.length).toBeGreaterThanOrEqual(operationLimits.heavySlots + operationLimits.heavyQueue);
    expect(served.length + busy.length).toBe(burst);
    expect(answers.slice(burst).every((answer) => answer.errors === undefined)).toBe(true);
  });
});

describe('requests', () => {
  it('refuses a body over the limit with 413', async () => {
    const small = createPapergraphYoga({ database: server.database, maxBodyBytes: 2_000 });
    const padding = ' '.repeat(2_100);
    const response = await small.fetch('http://papergraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ stats { papers } }${padding}` }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    const fine = await graphql(small, '{ stats { papers } }');
    expect(fine.data).toEqual({ stats: { papers: 46 } });
  });

  it('refuses a chunked body (no declared length) once it passes the limit, and reads a small one', async () => {
    const small = createPapergraphYoga({ database: server.database, maxBodyBytes: 2_000 });
    // A stream of 1 kB chunks that would go on for 10 MB: the server must stop reading at the limit.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10_000_000) return controller.close();
        sent += 1_000;
        controller.enqueue(new TextEncoder().encode(sent === 1_000 ? `{"query":"{ stats { papers } }"${' '.repeat(968)}` : ' '.repeat(1_000)));
      },
    });
    const chunked = (body: ReadableStream<Uint8Array>) =>
      small.fetch('http://papergraph.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    const refused = await chunked(endless);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    expect(sent).toBeLessThan(10_000);

    const text = JSON.stringify({ query: '{ stats { papers } }' });
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of [text.slice(0, 10), text.slice(10)]) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    const answered = await chunked(streamed);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ data: { stats: { papers: 46 } } });
  });

  it("answers a variable of the wrong type as the client's error (400, BAD_USER_INPUT), logging nothing", async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const operation = 'query ($n: Int) { papers(first: $n) { totalCount } }';
      const strict = await graphql(server.yoga, operation, { n: 'abc' });
      expect(strict.status).toBe(400);
      expect(strict.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^Variable "\$n" got invalid value "abc"/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
      const plain = await server.yoga.fetch('http://papergraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: operation, variables: { n: 'abc' } }),
      });
      expect(plain.status).toBe(200);
      expect(await plain.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
      expect(stderr.mock.calls.map(([line]) => String(line)).filter((line) => /"level":"(error|warn)"/.test(line))).toEqual([]);
    } finally {
      stderr.mockRestore();
    }
  });

  it("answers invalid JSON in a GET's variables or extensions, or in a body, with 400 and nothing internal", async () => {
    for (const parameter of ['variables', 'extensions']) {
      const response = await server.yoga.fetch(`http://papergraph.test/graphql?query=${encodeURIComponent('{ stats { papers } }')}&${parameter}=%7Bbad`);
      expect(response.status, parameter).toBe(400);
      expect(await response.json()).toEqual({
        errors: [{ message: 'The variables or extensions parameter is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const response = await server.yoga.fetch('http://papergraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: '{bad',
      });
      expect(response.status, accept).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('refuses POST bodies a web page can send cross-origin without a CORS preflight', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: '{ stats { papers } }' }));
    form.set('map', '{}');
    const bodies: [string, RequestInit][] = [
      ['multipart/form-data', { body: form }],
      ['application/x-www-form-urlencoded', { body: new URLSearchParams({ query: '{ stats { papers } }' }) }],
      ['text/plain', { body: JSON.stringify({ query: '{ stats { papers } }' }), headers: { 'content-type': 'text/plain' } }],
    ];
    for (const [type, init] of bodies) {
      const response = await server.yoga.fetch('http://papergraph.test/graphql', { method: 'POST', ...init });
      expect(response.status, type).toBe(415);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
    }
    const json = await graphql(server.yoga, '{ stats { papers } }');
    expect(json.data).toEqual({ stats: { papers: 46 } });
  });

  it('caps the size of an answer with RESPONSE_TOO_LARGE', async () => {
    const big = `{ paper(arxivId: "2412.03275") { neighborhood(depth: 2, limit: 200) { nodes { id label } edges { source target } } } }`;
    const whole = await server.yoga.fetch('http://papergraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: big }),
    });
    const wholeBytes = (await whole.text()).length;
    expect(wholeBytes).toBeGreaterThan(2_000);
    const capped = createPapergraphYoga({ database: server.database, maxResponseBytes: 1_000 });
    const refused = await graphql(capped, big);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', maxBytes: 1_000 });
    expect((await graphql(capped, '{ stats { papers } }')).data).toEqual({ stats: { papers: 46 } });
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    const given = await server.yoga.fetch('http://papergraph.test/graphql?query={stats{papers}}', { headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const bogus = await server.yoga.fetch('http://papergraph.test/graphql?query={stats{papers}}', {
      headers: { 'x-request-id': 'no spaces allowed <script>' },
    });
    expect(bogus.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('switches introspection, suggestions and CORS by configuration', async () => {
    const open = await graphql(server.yoga, '{ __schema { queryType { name } } }');
    expect(open.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(errorsOf(await graphql(server.yoga, '{ stats { paper } }'))).toMatch(/Did you mean/);

    const locked = createPapergraphYoga({ database: server.database, introspection: false, hideSuggestions: true, graphiql: false });
    expect(errorsOf(await graphql(locked, '{ __schema { queryType { name } } }'))).toMatch(/introspection/i);
    const suggestion = errorsOf(await graphql(locked, '{ stats { paper } }'));
    expect(suggestion).toMatch(/Cannot query field/);
    expect(suggestion).not.toMatch(/Did you mean/);
    const page = await locked.fetch('http://papergraph.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/graphiql/i);

    const preflight = { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } };
    expect((await server.yoga.fetch('http://papergraph.test/graphql', preflight)).headers.get('access-control-allow-origin')).toBeNull();
    const cors = createPapergraphYoga({ database: server.database, corsOrigins: ['https://app.example'] });
    expect((await cors.fetch('http://papergraph.test/graphql', preflight)).headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('never shows Cypher, a stack or an internal message, whatever the failure', async () => {
    const responses = await Promise.all(
      [
        '{ paper(id: "UGFwZXI6") { title } }',
        '{ papers(orderBy: { field: NOPE }) { totalCount } }',
        '{ search(query: "\\u0000") { score } }',
        'query { ',
        '{ shortestPath(from: "x", to: "y") { length } }',
      ].map((query) => graphql(server.yoga, query)),
    );
    for (const response of responses) {
      expect(response.status).toBeLessThan(500);
      expect(JSON.stringify(response)).not.toMatch(/MATCH |Neo4jError|\.ts:\d+|at .*\(|stack/);
    }
  });
});

describe('query timeout', () => {
  const timeoutMs = 100;
  const hub = encodeGlobalId('Paper', 'hub');
  const slowOperation = `{ paper(id: "${hub}") { recommendations(first: 5) { score } } }`;

  beforeAll(async () => {
    const cypher = new Cypher(server.database);
    // A hub whose 1,000 related papers each list the same 200 papers: 200,000 paths to rank.
    await cypher.write(`
      CREATE (hub:Paper {uid: 'hub', titleKey: 'hub', title: 'Hub'})
      WITH hub
      UNWIND range(1, 200) AS t CREATE (:Paper:SlowTarget {uid: 'target-' + t, titleKey: 'target' + t, title: 'Target ' + t})`);
    await cypher.write(`
      MATCH (hub:Paper {uid: 'hub'})
      UNWIND range(1, 1000) AS m
      CREATE (hub)-[:RELATED_TO {score: 1.0, rank: m}]->(mid:Paper:SlowMid {uid: 'mid-' + m, titleKey: 'mid' + m, title: 'Mid ' + m})
      WITH mid
      MATCH (t:SlowTarget)
      CREATE (mid)-[:RELATED_TO {score: 1.0, rank: 1}]->(t)`);
  });
  afterAll(async () => {
    await new Cypher(server.database).write("MATCH (n:Paper) WHERE n:SlowMid OR n:SlowTarget OR n.uid = 'hub' DETACH DELETE n");
  });

  it('cuts a slow query at the timeout with QUERY_TIMEOUT and frees the database', async () => {
    const cypher = new Cypher(server.database);
    {
      // With the normal timeout the same question is answered; how long it takes tells whether the
      // 100 ms timeout has anything to cut (the database checks timeouts every 100 ms).
      const uncutStarted = Date.now();
      const patient = await graphql(server.yoga, slowOperation);
      const uncutMs = Date.now() - uncutStarted;
      expect(patient.errors).toBeUndefined();
      expect(uncutMs, 'the slow operation must run well past the timeout for this test to mean anything').toBeGreaterThan(4 * timeoutMs);

      const impatient = createPapergraphYoga({ database: server.database, queryTimeoutMs: timeoutMs });
      const started = Date.now();
      const response = await graphql(impatient, slowOperation);
      const cutMs = Date.now() - started;
      expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TIMEOUT');
      expect(response.errors?.[0]?.message).toBe('The query took too long and was stopped; ask for less.');
      expect(cutMs).toBeLessThan(uncutMs);
      const running = await cypher.read<{ query: string }>(
        "SHOW TRANSACTIONS YIELD currentQuery AS query WHERE query CONTAINS 'sharedNeighbours' AND NOT query STARTS WITH 'SHOW' RETURN query",
      );
      expect(running).toEqual([]);
    }
  });

  it('gives all the queries of one request one time budget, not a fresh timeout each', async () => {
    const cypher = new Cypher(server.database, { timeoutMs: 300 });
    expect(await cypher.read('RETURN 1 AS one')).toEqual([{ one: 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const roundTrips = cypher.roundTrips;
    await expect(cypher.read('RETURN 2 AS two')).rejects.toBeInstanceOf(QueryTimeoutError);
    expect(cypher.roundTrips - roundTrips).toBe(1);
  });

  it('logs a request whose fields all failed once, with its request id and the count of its errors', async () => {
    const impatient = createPapergraphYoga({ database: server.database, queryTimeoutMs: timeoutMs });
    const aliases = Array.from({ length: 12 }, (_, i) => `a${i}: paper(id: "${hub}") { recommendations(first: 5) { score } }`).join(' ');
    const stderr = vi.spyOn(process.stderr, 'write');
    let lines: string[];
    let response: Response;
    try {
      response = await impatient.fetch('http://papergraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'many-timeouts' },
        body: JSON.stringify({ query: `{ ${aliases} }` }),
      });
      lines = stderr.mock.calls.map(([line]) => String(line));
    } finally {
      stderr.mockRestore();
    }
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((error) => error.extensions.code)).toEqual(Array(12).fill('QUERY_TIMEOUT'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      msg: 'request failed',
      requestId: 'many-timeouts',
      errorCount: 12,
      codes: { QUERY_TIMEOUT: 12 },
    });
  });
});
