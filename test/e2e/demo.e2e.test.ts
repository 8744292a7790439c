// The README's first command: `npm run demo` must show the lifecycle in order.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEnv, NODE } from '../helpers/bundle.js';

const DEMO = fileURLToPath(new URL('../../scripts/demo.mjs', import.meta.url));

describe('npm run demo', () => {
  it('shows wait, ready, start, health check fail, delay, drain, app stop, in that order', async () => {
    const child = spawn(NODE, [DEMO], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const [code] = await once(child, 'close');
    expect(code, out).toBe(0);
    const steps = [
      'run        waiting for sidecar',
      'fake-envoy pilot-agent call  method=GET  path=/healthz/ready  status=503',
      'run        sidecar ready',
      'run        app started',
      'client     GET / through the inbound listener: 200, Connection: keep-alive',
      'run        shutdown started',
      'fake-envoy admin call POST /healthcheck/fail → 200',
      'client     GET / during the shutdown delay: 200, Connection: close',
      'client     GET /slow (in flight during the shutdown): 200',
      'run        drain finished  connectionsLeft=0',
      'app        SIGTERM: closing',
      'run        app exited  exitCode=0',
      'demo       run exited with code 0',
      'fake-envoy pilot-agent: killing envoy (SIGKILL)',
    ];
    let at = -1;
    for (const step of steps) {
      const next = out.indexOf(step, at + 1);
      expect(next, `"${step}" after position ${at} in:\n${out}`).toBeGreaterThan(at);
      at = next;
    }
  });
});
