// No Docker engine here: check what the Dockerfile copies and runs, directly.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE } from '../helpers/bundle.js';

const root = new URL('../../', import.meta.url).pathname;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+ /.test(l));

describe('Dockerfile', () => {
  it('copies sources that exist in the repo into the build stage', () => {
    for (const line of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from'))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) expect(existsSync(join(root, source)), `${line}: ${source}`).toBe(true);
    }
  });

  it('the final stage ships the bundle the build produces, and runs it as its entrypoint', () => {
    const copy = instructions.find((l) => l.startsWith('COPY --from=build'))!;
    const [, , from, to] = copy.split(/\s+/);
    expect(from).toBe('/src/dist/sidecar-lifecycle.mjs');
    const entrypoint = JSON.parse(instructions.find((l) => l.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length)) as string[];
    expect(entrypoint).toEqual(['/usr/bin/tini', '--', to]);
    expect(existsSync(join(root, 'dist/sidecar-lifecycle.mjs'))).toBe(true);

    // What the image runs: the bundle under its installed name, alone, executed through its shebang.
    const dir = mkdtempSync(join(tmpdir(), 'sl-image-'));
    const installed = join(dir, 'sidecar-lifecycle');
    copyFileSync(join(root, 'dist/sidecar-lifecycle.mjs'), installed);
    const r = spawnSync(NODE, [installed, '--help'], { encoding: 'utf8', cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: sidecar-lifecycle/);
  });

  it('the build stage runs the same build command as the README', () => {
    expect(instructions).toContain('RUN npm run build');
    expect(instructions).toContain('RUN npm ci --no-audit --no-fund');
  });
});
