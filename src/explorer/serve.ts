import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import { log } from '../log.ts';
import { explorerPage } from './page.ts';

/** A file the explorer serves, ready to send: bytes, gzipped bytes, type and validator. */
interface Asset {
  body: Uint8Array;
  gzip: Uint8Array;
  type: string;
  etag: string;
  /** True for the hashed bundle files, which may be cached for good when asked for by their version. */
  versioned: boolean;
}

/** Request path → asset. */
type Assets = Map<string, Asset>;

const clientDir = fileURLToPath(new URL('./client/', import.meta.url));

// Security headers for the page: everything comes from this server (no CDN), and it only talks to /graphql.
const pageHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the graph explorer: GET / is the page, /explorer/app.js and /explorer/app.css the client
 * bundle. Every other request goes on to yoga. The client is bundled with esbuild in memory, once per
 * process, on the first request that needs it.
 */
export function useExplorer(): Plugin {
  return {
    // Not async: every GraphQL request passes here, and a promise returned would make Yoga wait a tick.
    onRequest(payload) {
      const { request, url } = payload;
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname !== '/' && !url.pathname.startsWith('/explorer/')) return;
      return serveAsset(payload);
    },
  };
}

async function serveAsset({ request, url, endResponse, fetchAPI }: Parameters<NonNullable<Plugin['onRequest']>>[0]): Promise<void> {
  let asset: Asset | undefined;
  try {
    asset = (await loadAssets()).get(url.pathname);
  } catch (error) {
    log.error('could not bundle the explorer', { error });
    endResponse(
      new fetchAPI.Response('The explorer could not be built; see the server log.', {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      }),
    );
    return;
  }
  if (!asset) return; // an unknown /explorer/ path: yoga answers 404
  endResponse(respond(asset, request, url, fetchAPI.Response));
}

function respond(asset: Asset, request: Request, url: URL, ResponseClass: typeof Response): Response {
  const immutable = asset.versioned && url.searchParams.get('v') === asset.etag.slice(1, -1);
  const headers: Record<string, string> = {
    'content-type': asset.type,
    etag: asset.etag,
    // The page always revalidates (it names the current bundle); bundle files asked for by version never change.
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
    ...(asset.type.startsWith('text/html') ? pageHeaders : {}),
  };
  if (request.headers.get('if-none-match') === asset.etag) return new ResponseClass(null, { status: 304, headers });
  const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
  if (gzip) headers['content-encoding'] = 'gzip';
  const body = gzip ? asset.gzip : asset.body;
  headers['content-length'] = String(body.byteLength);
  return new ResponseClass(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers });
}

/** The bundle, built once per process (shared by every yoga instance) on the first request that needs it. */
let assets: Promise<Assets> | undefined;

function loadAssets(): Promise<Assets> {
  assets ??= bundleExplorer().catch((error: unknown) => {
    assets = undefined; // try again on the next request
    throw error;
  });
  return assets;
}

/** Bundles client/app.ts (with Cytoscape) and client/app.css in memory and builds the page naming them. */
async function bundleExplorer(): Promise<Assets> {
  const started = Date.now();
  const { build } = await import('esbuild'); // only processes that serve the explorer load esbuild
  const result = await build({
    entryPoints: [`${clientDir}app.ts`, `${clientDir}app.css`],
    bundle: true,
    write: false,
    outdir: `${clientDir}out`, // never written: only names the output files
    entryNames: '[name]',
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    charset: 'utf8',
    logLevel: 'silent',
  });
  const output = (extension: string) => {
    const file = result.outputFiles.find((candidate) => candidate.path.endsWith(extension));
    if (!file) throw new Error(`esbuild produced no ${extension} file`);
    return file.contents;
  };
  const js = output('.js');
  const css = output('.css');
  const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 16);
  const page = new TextEncoder().encode(explorerPage(version));
  const asset = (body: Uint8Array, type: string, versioned: boolean): Asset => ({
    body,
    gzip: gzipSync(body),
    type,
    etag: `"${versioned ? version : createHash('sha256').update(body).digest('hex').slice(0, 16)}"`,
    versioned,
  });
  log.info('explorer bundled', { version, jsBytes: js.byteLength, cssBytes: css.byteLength, durationMs: Date.now() - started });
  return new Map([
    ['/', asset(page, 'text/html; charset=utf-8', false)],
    ['/explorer/app.js', asset(js, 'text/javascript; charset=utf-8', true)],
    ['/explorer/app.css', asset(css, 'text/css; charset=utf-8', true)],
  ]);
}
