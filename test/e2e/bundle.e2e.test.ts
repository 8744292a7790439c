// The shipped artefact: one file that runs when copied alone anywhere.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE, NODE } from '../helpers/bundle.js';
import { spawnSync } from 'node:child_process';
import { VERSION } from '../../src/version.js';

describe('dist/sidecar-lifecycle.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-alone-'));
  const copy = join(dir, 'sidecar-lifecycle.mjs');
  copyFileSync(BUNDLE, copy);

  it('is one executable file with a node shebang', () => {
    expect(readFileSync(BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(BUNDLE).mode & 0o111).not.toBe(0);
    expect(readdirSync(dir)).toEqual(['sidecar-lifecycle.mjs']);
  });

  it.each([['--version'], ['--help'], ['run', '--help'], ['wait', '--help'], ['quit', '--help']])('copied alone, `%s` works with nothing on stderr', (...args) => {
    const r = spawnSync(NODE, [copy, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    if (args[0] === '--version') expect(r.stdout.trim()).toBe(VERSION);
    else expect(r.stdout).toMatch(/^Usage: sidecar-lifecycle/);
  });

  it('runs a command when copied alone', () => {
    const r = spawnSync(NODE, [copy, 'run', '--disabled', '--', 'sh', '-c', 'echo alone'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('alone\n');
  });
});
