// `sidecar-lifecycle run` against `sidecar-lifecycle fake-envoy`, both as built bundles, with real
// HTTP traffic through the fake's inbound listener while the pod shuts down: readiness through
// pilot-agent, then on SIGTERM health check fail, the shutdown delay, connection polling until the
// in-flight request is done, and only then the app's SIGTERM.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE, startBundle, type BundleProcess } from '../helpers/bundle.js';
import { reservePort } from '../../src/fake/http-listener.js';
import { startFake, type RunningFake } from '../helpers/fake-envoy.js';

// The app: answers /slow?ms=N after N ms; on SIGTERM stops accepting, finishes in-flight work, exits 0.
const APP = `
import http from 'node:http';
const port = Number(process.argv[2]);
const server = http.createServer((req, res) => {
  const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 0);
  setTimeout(() => res.end('app ' + req.url), ms);
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log('app listening'));
process.on('SIGTERM', () => {
  console.log('app got SIGTERM at ' + Date.now());
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
`;

let dir: string;
let fake: RunningFake;
let run: BundleProcess | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sl-fake-run-'));
  writeFileSync(join(dir, 'app.mjs'), APP);
});
afterAll(async () => {
  if (run && run.child.exitCode === null) run.kill('SIGKILL');
  await fake?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  status: number;
  connection: string | string[] | undefined;
  body: string;
  doneAt: number;
}

async function get(client: Client, path: string): Promise<Outcome> {
  const res = await client.request({ method: 'GET', path });
  const body = await res.body.text();
  return { status: res.statusCode, connection: res.headers.connection, body, doneAt: Date.now() };
}

describe('run with fake-envoy', () => {
  it('waits for readiness, then drains with traffic in flight before stopping the app', async () => {
    const appPort = await reservePort('127.0.0.1', 0);
    fake = await startFake(['--app-port', String(appPort), '--ready-after', '500ms', '--stats-flush-interval', '200ms']);
    const { admin, pilotAgent, inbound } = fake.ports as Record<string, number>;
    run = startBundle([
      'run',
      '--ready-url', `http://127.0.0.1:${pilotAgent}/healthz/ready`,
      '--admin-url', `http://127.0.0.1:${admin}`,
      '--shutdown-delay', '500ms',
      '--drain-timeout', '4s',
      '--poll-interval', '100ms',
      '--inbound-stat-regex', String.raw`^listener\..*_${inbound}\.downstream_cx_active$`,
      '--', NODE, join(dir, 'app.mjs'), String(appPort),
    ]);
    await run.waitForStdout('app listening', 15_000);
    // The app started only once pilot-agent answered 200, which needed Envoy's stats to say LIVE.
    const agentCalls = fake.proc.logs().filter((l) => l.msg === 'pilot-agent call');
    expect(agentCalls.at(-1)?.status).toBe(200);
    expect(run.logs().map((l) => l.msg)).toContain('sidecar ready');

    const long = new Client(`http://127.0.0.1:${inbound}`, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    const steady = new Client(`http://127.0.0.1:${inbound}`, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    try {
      expect(await get(steady, '/warm')).toMatchObject({ status: 200, body: 'app /warm' });
      // A request that is still in flight well after the shutdown delay.
      const inFlight = get(long, '/slow?ms=1500');
      await new Promise((r) => setTimeout(r, 100));
      const sigtermAt = Date.now();
      run.kill('SIGTERM');

      // New requests during the shutdown delay still reach the app, and each connection is
      // drain-closed on its response.
      const during: Outcome[] = [];
      while (Date.now() - sigtermAt < 350) {
        during.push(await get(steady, `/during-${during.length}`));
        await new Promise((r) => setTimeout(r, 50));
      }
      const slow = await inFlight;
      const exit = await run.exited;

      expect(exit).toEqual({ code: 0, signal: null });
      expect(slow).toMatchObject({ status: 200, body: 'app /slow?ms=1500', connection: 'close' });
      expect(during.length).toBeGreaterThan(1);
      for (const d of during) expect(d.status).toBe(200);
      expect(during.filter((d) => d.connection === 'close').length).toBeGreaterThan(0);

      // The app's SIGTERM came after the in-flight request had finished, not at the drain timeout.
      const appSignalledAt = Number(/app got SIGTERM at (\d+)/.exec(run.stdout())![1]);
      expect(appSignalledAt).toBeGreaterThanOrEqual(slow.doneAt - 50);
      expect(appSignalledAt - sigtermAt).toBeLessThan(3500);
      const drained = run.logs().find((l) => l.msg === 'drain finished')!;
      expect(drained).toMatchObject({ connectionsLeft: 0, timedOut: false });

      // The admin calls, in the order the fake received them: readiness stats (pilot-agent),
      // then health check fail, then only connection polls with run's filter.
      await fake.proc.waitForLog(/^admin call$/);
      await new Promise((r) => setTimeout(r, 200)); // logs reach us through a pipe
      const calls = fake.adminCalls();
      const failAt = calls.indexOf('POST /healthcheck/fail 200');
      expect(failAt).toBeGreaterThan(0);
      expect(calls.slice(0, failAt).every((c) => c.startsWith('GET /stats?usedonly&filter=^(') && c.endsWith(' 200'))).toBe(true);
      const polls = calls.slice(failAt + 1);
      expect(polls.length).toBeGreaterThan(1);
      for (const p of polls) expect(p).toBe(`GET /stats?usedonly&filter=${encodeURIComponent(String.raw`^listener\..*_${inbound}\.downstream_cx_active$`)} 200`);
      // The fake's own view: the inbound connections were drain-closed, none is left.
      const stats = await (await fetch(`http://127.0.0.1:${admin}/stats?usedonly&filter=^listener%5C.127%5C.0%5C.0%5C.1_${inbound}%5C.downstream_cx_active$`)).text();
      expect(stats).toBe(`listener.127.0.0.1_${inbound}.downstream_cx_active: 0\n`);
      // The polls came after the shutdown delay.
      const times = fake.proc.logs().filter((l) => l.msg === 'admin call').map((l) => Date.parse(l.time));
      expect(times[failAt + 1]! - times[failAt]!).toBeGreaterThanOrEqual(400);
    } finally {
      await long.destroy();
      await steady.destroy();
    }
  });
});
