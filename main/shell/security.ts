/**
 * Electron's security checklist applied in one place: the privileged app:// scheme, a session that
 * makes no network requests and grants no permissions, and web contents that cannot navigate,
 * open windows, attach webviews or download.
 */
import { protocol, type Session, type WebContents } from 'electron';
import { APP_SCHEME, isAllowedPermission, isAllowedRequestUrl, isAppUrl } from './origin';
import { createBundleHandler } from './protocol';

/** Must run before app 'ready': app:// behaves like https (secure context, same-origin rules). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveBundle(ses: Session, rendererRoot: string): void {
  ses.protocol.handle(APP_SCHEME, createBundleHandler(rendererRoot));
}

export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isAllowedPermission(permission, details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    isAllowedPermission(permission, requestingOrigin),
  );
  ses.setDevicePermissionHandler(() => false);
  // Belt and braces to the CSP: nothing but the bundle (and inline data: images) ever loads.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url) });
  });
  ses.on('will-download', (event) => event.preventDefault());
}

/** Applied to every web contents the app ever creates (app 'web-contents-created'). */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
