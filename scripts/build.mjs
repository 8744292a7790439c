// Type-check everything, emit JS with tsc (TypeScript 7 has no compiler API, so ncc cannot
// compile .ts itself), then bundle that JS with ncc into one self-contained file.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  } catch {
    // The tool has printed its own errors; a stack trace of this script would only bury them.
    console.error(`build failed: ${cmd.split('/').pop()} ${args.join(' ')}`);
    process.exit(1);
  }
};

rmSync(join(root, 'build'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.json']);
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
const out = join(root, 'build', 'ncc');
run(bin('ncc'), ['build', join(root, 'build', 'cli.js'), '-o', out, '--minify', '--quiet', '--no-source-map-register']);

// ncc emits a helper worker for pino transports; we log synchronously to fd 2 and never use
// transports, so the bundle must not need it. Ship index.js alone (ESM: build/ is under our "type": "module").
const code = readFileSync(join(out, 'index.js'), 'utf8').replace(/^#!.*\n/, '');
mkdirSync(join(root, 'dist'), { recursive: true });
const target = join(root, 'dist', 'sidecar-lifecycle.mjs');
writeFileSync(target, `#!/usr/bin/env node\n${code}`);
chmodSync(target, 0o755);
console.log(`built ${target} (${Math.round(code.length / 1024)} KiB)`);
