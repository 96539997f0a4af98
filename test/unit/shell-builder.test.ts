import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';

/**
 * electron-builder.yml checked with electron-builder's own validator (its JSON schema, scheme.json,
 * via ajv, plus its deprecation checks), loaded from the installed app-builder-lib: offline, and the
 * same verdict `electron-builder` itself would give before building.
 */
const root = path.resolve(__dirname, '../../..');
const fromBuilder = createRequire(require.resolve('app-builder-lib/package.json'));

type Config = Record<string, unknown>;
const { validateConfiguration } = fromBuilder('./out/util/config/config') as {
  validateConfiguration: (config: Config, logger: unknown) => Promise<void>;
};
const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const yaml = fromBuilder('js-yaml') as { load: (text: string) => unknown };

function loadConfig(): Config {
  return yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;
}

function targets(section: unknown): string[] {
  const t = (section as { target?: Array<{ target: string }> }).target ?? [];
  return t.map((x) => x.target);
}

test('electron-builder.yml passes electron-builder’s own configuration schema', async () => {
  await validateConfiguration(loadConfig(), new DebugLogger(false));
});

test('the validator really rejects a broken configuration', async () => {
  const broken = { ...loadConfig(), electronFusez: { runAsNode: false } };
  await assert.rejects(validateConfiguration(broken, new DebugLogger(false)), /electronFusez/);
  const wrongType = { ...loadConfig(), nsis: { oneClick: 'maybe' } };
  await assert.rejects(validateConfiguration(wrongType, new DebugLogger(false)), /oneClick/);
});

test('installers for every platform, named and iconed', () => {
  const c = loadConfig();
  assert.equal(c.productName, 'Delivery Inspector');
  assert.match(String(c.appId), /^[a-z0-9]+(\.[a-z0-9-]+)+$/);
  assert.deepEqual(targets(c.win), ['nsis']);
  assert.deepEqual(targets(c.mac), ['dmg']);
  assert.deepEqual(targets(c.linux).sort(), ['AppImage', 'deb']);
  for (const os of ['win', 'mac', 'linux']) {
    const icon = (c[os] as { icon: string }).icon;
    assert.ok(existsSync(path.join(root, icon)), `${os} icon ${icon} exists`);
  }
  assert.ok((c.linux as { maintainer?: string }).maintainer, 'deb needs a maintainer');
});

test('security fuses are set and the native module is unpacked and rebuilt for Electron', () => {
  const c = loadConfig();
  assert.deepEqual(c.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
    grantFileProtocolExtraPrivileges: false,
  });
  assert.deepEqual(c.asarUnpack, ['**/*.node']);
  assert.equal(c.npmRebuild, true);
  assert.equal(c.publish, null, 'no update feed: the app makes no network requests');
});

test('the packaged files include the entry point, the preload bundle and the renderer', () => {
  const c = loadConfig();
  const files = c.files as string[];
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
  assert.equal(pkg.main, 'dist/main/shell/index.js');
  assert.ok(files.includes('dist/main/**/*'), 'main entry is packaged');
  assert.ok(files.includes('dist/preload/bundle.js'));
  assert.ok(files.includes('dist/renderer/**/*'));
  assert.ok(files.includes('package.json'));
});

test('release builds are signed: minimal macOS entitlements, .node signed on Windows, unsigned refused', () => {
  const c = loadConfig();
  const mac = c.mac as Record<string, unknown>;
  const win = c.win as Record<string, unknown>;
  assert.equal(mac.hardenedRuntime, true);
  assert.equal(mac.entitlements, 'build/entitlements.mac.plist');
  assert.equal(mac.entitlementsInherit, 'build/entitlements.mac.plist');
  const plist = readFileSync(path.join(root, 'build/entitlements.mac.plist'), 'utf8');
  // Comments aside, the keys granted: exactly allow-jit, none of electron-builder's wider defaults.
  const keys = [...plist.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map(
    (m) => m[1],
  );
  assert.deepEqual(keys, ['com.apple.security.cs.allow-jit']);
  assert.ok(Array.isArray(win.signExts) && win.signExts.includes('.node'), 'win.signExts signs .node files');
  assert.equal(mac.forceCodeSigning, true);
  assert.equal(win.forceCodeSigning, true);
  const scripts = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  assert.doesNotMatch(scripts.dist ?? '', /forceCodeSigning/, 'npm run dist is the release build');
  assert.match(
    scripts['dist:unsigned'] ?? '',
    /-c\.mac\.forceCodeSigning=false -c\.win\.forceCodeSigning=false/,
  );
});
