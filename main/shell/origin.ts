/**
 * Who may talk to main and where the window may go. The page shows attacker-controlled text
 * (imported addresses, SMTP replies), so every decision here defaults to "no".
 */

/** The renderer bundle is served from this privileged scheme, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string | undefined | null): URL | null {
  if (typeof url !== 'string' || url.length === 0) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for URLs of the app's own bundle (app://bundle/...). */
export function isAppUrl(url: string | undefined | null): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

export interface SenderFacts {
  /** URL of the frame that sent the IPC message (null when the frame is gone). */
  readonly frameUrl: string | null | undefined;
  /** The sending frame is the top frame of its page (no iframes may call the API). */
  readonly isMainFrame: boolean;
  /** The message came from the one window main created. */
  readonly fromAppWindow: boolean;
}

/** IPC is answered only for the app window's top frame showing the app's own page. */
export function isTrustedSender(s: SenderFacts): boolean {
  return s.fromAppWindow && s.isMainFrame && isAppUrl(s.frameUrl);
}

/**
 * Network policy for session.webRequest: only the bundle and inline data (AG Grid's icons are
 * data: URLs) load; http(s), ws, file and everything else is cancelled.
 */
export function isAllowedRequestUrl(url: string): boolean {
  if (isAppUrl(url)) return true;
  const u = parse(url);
  if (!u) return false;
  // devtools: only exists when DevTools are open, which packaged builds disable.
  return u.protocol === 'data:' || u.protocol === 'devtools:';
}

/**
 * Permission requests: writing plain text to the clipboard ("copy Correlation ID") is the only
 * thing the page may ask for; camera, notifications, geolocation, clipboard reads etc. are denied.
 */
export function isAllowedPermission(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}
