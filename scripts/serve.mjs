#!/usr/bin/env node
// A small static server for the demo and the browser tests: serves the repository (so /demo/ and
// /dist/ work) on localhost with the Content-Security-Policy the element documents as sufficient.
//   node scripts/serve.mjs [--port 8080] [--root .] [--no-csp]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8',
};

/** What a page embedding <cher-hedger> needs beyond 'self': WASM compilation and blob: workers. */
export const ELEMENT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  'worker-src blob:',
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
].join('; ');

/** Starts the server; resolves with its URL and a close function. Port 0 picks a free port. */
export function serve({ root = '.', port = 0, host = '127.0.0.1', csp = true, pages = {} } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const headers = { 'cache-control': 'no-store' };
      if (csp) headers['content-security-policy'] = ELEMENT_CSP;
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204, headers).end();
        return;
      }
      if (pages[url.pathname] !== undefined) {
        res.writeHead(200, { ...headers, 'content-type': TYPES['.html'] }).end(pages[url.pathname]);
        return;
      }
      let path = normalize(join(base, decodeURIComponent(url.pathname)));
      if (path !== base && !path.startsWith(base + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(path).catch(() => null))?.isDirectory()) {
        if (!url.pathname.endsWith('/')) {
          res.writeHead(301, { location: url.pathname + '/' }).end();
          return;
        }
        path = join(path, 'index.html');
      }
      const body = await readFile(path);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      ok({ url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}`, server, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const port = Number(opt('--port', process.env.PORT ?? 8080));
  const { url } = await serve({ root: opt('--root', '.'), port, csp: !args.includes('--no-csp') });
  console.log(`cher-hedger demo: ${url}/demo/  (Ctrl+C to stop)`);
}
