import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/environment.ts';

// electron-builder cannot package here (it downloads Electron), so its configuration is checked as far
// as it can be without that: against electron-builder's own schema, and every file it names.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  extraMetadata: { main: string };
  asarUnpack: string[];
  fileAssociations: Array<{ ext: string; mimeType: string }>;
  linux: { target: string[]; icon: string; mimeTypes: string[] };
  mac: { target: string; icon: string; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string };
  win: { target: string; icon: string };
}

const config = yaml.load(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; productName: string; scripts: Record<string, string> };

/** A PNG's width and height from its IHDR chunk. */
function pngSize(path: string): [number, number] {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('desktop packaging configuration', () => {
  it('passes electron-builder’s own schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('packages the ESM main the build emits, for Linux (AppImage, deb), macOS (dmg) and Windows (NSIS)', () => {
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(pkg.main).toBe('dist/node/electron-main.mjs');
    expect(readFileSync(join(repoRoot, 'scripts', 'build-node.mjs'), 'utf8')).toContain("'electron-main': 'electron/main/main.ts'");
    expect(config.productName).toBe(pkg.productName);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    expect(pkg.scripts.dist).toMatch(/npm run build && electron-builder/);
    // The native module and the worker entries stay outside the archive.
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**', 'dist/node/**']));
  });

  it('associates DICOM files', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'dcm', mimeType: 'application/dicom' })]);
    expect(config.linux.mimeTypes).toContain('application/dicom');
  });

  it('has the icons it names, square, at every size', () => {
    expect(pngSize(join(repoRoot, config.mac.icon))).toEqual([1024, 1024]);
    expect(config.win.icon).toBe(config.mac.icon);
    const sizes = readdirSync(join(repoRoot, config.linux.icon)).sort((a, b) => parseInt(a) - parseInt(b));
    expect(sizes).toEqual(['16x16.png', '24x24.png', '32x32.png', '48x48.png', '64x64.png', '128x128.png', '256x256.png', '512x512.png', '1024x1024.png']);
    for (const name of sizes) {
      const side = parseInt(name);
      expect(pngSize(join(repoRoot, config.linux.icon, name)), name).toEqual([side, side]);
    }
    expect(existsSync(join(repoRoot, 'resources', 'icon.svg'))).toBe(true);
  });

  it('signs macOS with the hardened runtime and grants nothing beyond JIT', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(join(repoRoot, config.mac.entitlements), 'utf8');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    expect([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1])).toEqual(['com.apple.security.cs.allow-jit']);
  });
});
