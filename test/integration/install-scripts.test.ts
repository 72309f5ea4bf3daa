import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/environment.ts';

// `.npmrc` keeps npm to errors, which hides its notice about dependencies' install scripts that
// package.json's allowScripts has not reviewed (and npm runs them meanwhile): this test says so instead.
describe('install scripts', () => {
  it('every installed dependency with an install script is approved or denied in allowScripts', () => {
    const listed = spawnSync('npm', ['install-scripts', 'ls', '--json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ allowScripts: [] });
  });
});
