/**
 * Serves the built renderer (dist/renderer) on app://bundle/ with a strict Content-Security-Policy
 * header. Plain fetch-API types only, so it is tested under Node; main passes it to protocol.handle.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './origin';

/**
 * style-src 'unsafe-inline': AG Grid's themes inject <style> elements at runtime (its CSP notes).
 * img-src/font-src data:: AG Grid embeds icons as data: URLs. connect-src 'none': the app makes no
 * network requests at all, so nothing fetched can leak a record.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
].join('; ');

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a request URL to a file inside `root`, or null when the URL is not the bundle's or would
 * escape the folder (.., encoded separators, NUL, absolute or drive paths).
 */
export function resolveBundlePath(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\') || rel.split('/').includes('..')) return null;
  if (rel === '/' || rel === '') rel = '/index.html';
  const base = path.resolve(root);
  const full = path.resolve(base, `.${rel}`);
  if (full !== base && !full.startsWith(base + path.sep)) return null;
  return full;
}

function securityHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
}

function textResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

export type BundleHandler = (request: Request) => Promise<Response>;

export function createBundleHandler(root: string): BundleHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const file = resolveBundlePath(root, request.url);
    if (!file) return textResponse(403, 'Forbidden');
    try {
      const info = await stat(file);
      if (!info.isFile()) return textResponse(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await readFile(file);
      return new Response(body, { status: 200, headers: securityHeaders(mimeType(file)) });
    } catch {
      return textResponse(404, 'Not found');
    }
  };
}
