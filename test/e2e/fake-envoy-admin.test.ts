// The running fake (built bundle) checked against the reference, section 1 and 9: admin routing,
// method rules, bodies, headers, /ready states, stats formats and update semantics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENDPOINTS } from '../../src/fake/admin-table.js';
import { eventually, raw, startApp, startFake, stat, tryConnect, type RunningFake, type TestApp } from '../helpers/fake-envoy.js';

const MUTATING = ['/healthcheck/fail', '/healthcheck/ok', '/quitquitquit', '/drain_listeners', '/reset_counters', '/logging', '/runtime_modify', '/reopen_logs', '/cpuprofiler', '/heapprofiler', '/stats/recentlookups/clear', '/stats/recentlookups/disable', '/stats/recentlookups/enable'];

describe('admin routing, method rules and headers (one LIVE fake)', () => {
  let fake: RunningFake;
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
    fake = await startFake(['--ready-after', '200ms', '--app-port', String(app.port), '--drain-time', '1s', '--stats-flush-interval', '200ms']);
    await eventually(async () => ((await raw('GET', fake.admin('/ready'))).status === 200 ? true : undefined), 5000, 'LIVE');
  });
  afterAll(async () => {
    await fake?.stop();
    await app?.close();
  });

  it('marks exactly the reference mutating set as POST-only', () => {
    expect(ADMIN_ENDPOINTS.filter((e) => e.mutates).map((e) => e.path).sort()).toEqual([...MUTATING].sort());
  });

  it.each(MUTATING.flatMap((path) => ['GET', 'PUT', 'DELETE'].map((method) => [method, path])))('%s %s → 405, exact body, no side effect', async (method, path) => {
    const answer = await raw(method, fake.admin(`${path}?graceful&inboundonly`));
    expect(answer.status).toBe(405);
    expect(answer.body).toBe(`Method ${method} not allowed, POST required.`);
    expect(answer.headers['content-type']).toBe('text/plain; charset=UTF-8');
    // No side effect: still LIVE, not draining, still running, listeners still accept.
    const ready = await raw('GET', fake.admin('/ready'));
    expect([ready.status, ready.body]).toEqual([200, 'LIVE\n']);
    expect(await tryConnect(fake.ports.inbound!)).toBe('connected');
  });

  it('logs the wrong-method error with the call', () => {
    const line = fake.proc.logs().find((l) => l.msg === 'admin call' && l.status === 405);
    expect(line?.error).toMatch(/^admin path "\/[a-z_/]+" mutates state, method=(GET|PUT|DELETE) rather than POST$/);
  });

  it('HEAD on a mutating path is a 405 too', async () => {
    expect((await raw('HEAD', fake.admin('/healthcheck/fail'))).status).toBe(405);
  });

  it.each([
    ['GET', '/ready', 200],
    ['POST', '/ready', 200],
    ['DELETE', '/server_info', 200],
    ['POST', '/stats', 200],
    ['PUT', '/stats/prometheus', 200],
    ['POST', '/listeners', 200],
    ['HEAD', '/ready', 200],
  ])('non-mutating %s %s is accepted', async (method, path, status) => {
    expect((await raw(method, fake.admin(path))).status).toBe(status);
  });

  it.each(['/ready/', '/readyz', '/READY', '/', '/stats/', '/healthcheck', '/nope?x=1'])('%s → 404 with the help listing', async (path) => {
    const answer = await raw('GET', fake.admin(path));
    expect(answer.status).toBe(404);
    expect(answer.body.startsWith('invalid path. admin commands are:\n')).toBe(true);
    expect(answer.body).toContain('  /healthcheck/fail (POST): cause the server to fail health checks\n');
    expect(answer.body).toContain('  /stats: print server stats\n');
  });

  it('sends the default headers on every answer', async () => {
    for (const path of ['/ready', '/nope', '/stats?format=xml']) {
      const { headers } = await raw('GET', fake.admin(path));
      expect(headers).toMatchObject({ 'content-type': 'text/plain; charset=UTF-8', 'cache-control': 'no-cache, max-age=0', 'x-content-type-options': 'nosniff' });
    }
    for (const path of ['/server_info', '/stats?format=json', '/listeners?format=json']) {
      const { headers } = await raw('GET', fake.admin(path));
      expect(headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-cache, max-age=0', 'x-content-type-options': 'nosniff' });
    }
  });

  it('/server_info: version, live state, command line options, uptime', async () => {
    const info = JSON.parse((await raw('GET', fake.admin('/server_info'))).body) as Record<string, unknown>;
    expect(info.state).toBe('LIVE');
    expect(typeof info.version).toBe('string');
    expect(info.command_line_options).toMatchObject({ drain_time: '1s' });
    expect(info.uptime_current_epoch).toMatch(/^\d+s$/);
  });

  it('/listeners in text and JSON', async () => {
    const text = (await raw('GET', fake.admin('/listeners'))).body;
    expect(text).toContain(`virtualInbound::127.0.0.1:${fake.ports.inbound}\n`);
    expect(text).toContain(`virtualOutbound::127.0.0.1:${fake.ports.outbound}\n`);
    expect(text).toContain(`127.0.0.1_${fake.ports.health}::127.0.0.1:${fake.ports.health}\n`);
    const json = JSON.parse((await raw('GET', fake.admin('/listeners?format=json'))).body) as { listener_statuses: unknown[] };
    expect(json.listener_statuses).toContainEqual({ name: 'virtualInbound', local_address: { socket_address: { address: '127.0.0.1', port_value: fake.ports.inbound } } });
  });

  it('/help answers 200 with the listing', async () => {
    const answer = await raw('GET', fake.admin('/help'));
    expect([answer.status, answer.body.startsWith('admin commands are:\n')]).toEqual([200, true]);
  });

  describe('/stats', () => {
    const inboundActive = () => `listener.127.0.0.1_${fake.ports.inbound}.downstream_cx_active`;

    it('text lines `name: value`; usedonly hides a never-used gauge, shows one that went back to 0', async () => {
      const all = (await raw('GET', fake.admin('/stats'))).body;
      for (const line of all.trimEnd().split('\n')) expect(line).toMatch(/^[^\s:]+: \d+$/);
      // Nobody ever connected to the outbound listener; the method-rule tests connected to inbound.
      const outboundActive = `listener.127.0.0.1_${fake.ports.outbound}.downstream_cx_active`;
      expect(all).toContain(`${outboundActive}: 0\n`);
      const used = (await raw('GET', fake.admin('/stats?usedonly'))).body;
      expect(used).not.toContain(outboundActive);
      expect(used).toContain(`${inboundActive()}: 0\n`);
    });

    it('publishes the reference stats', async () => {
      const body = (await raw('GET', fake.admin('/stats'))).body;
      const names = [
        'server.state', 'server.live', 'server.total_connections', 'listener_manager.workers_started',
        'listener_manager.lds.update_success', 'listener_manager.lds.update_rejected', 'cluster_manager.cds.update_success', 'cluster_manager.cds.update_rejected',
        'listener_manager.listener_stopped', 'listener_manager.total_listeners_active',
        inboundActive(), `listener.127.0.0.1_${fake.ports.inbound}.worker_0.downstream_cx_active`,
        'listener.admin.downstream_cx_active', 'listener.admin.main_thread.downstream_cx_active',
        `http.inbound_0.0.0.0_${app.port}.downstream_cx_active`, `http.inbound_0.0.0.0_${app.port}.downstream_cx_drain_close`,
      ];
      for (const name of names) expect(body).toMatch(new RegExp(`^${name.replace(/[.[\]]/g, '\\$&')}: \\d+$`, 'm'));
    });

    it("counts the caller's own admin connection", async () => {
      expect(await stat(fake, 'listener.admin.downstream_cx_active')).toBeGreaterThanOrEqual(1);
      expect(await stat(fake, 'listener.admin.main_thread.downstream_cx_active')).toBeGreaterThanOrEqual(1);
    });

    it('answers Istio’s raw, unencoded readiness query', async () => {
      const body = (await raw('GET', fake.admin('/stats?usedonly&filter=^(server\\.state|listener_manager\\.workers_started)'))).body;
      expect(body).toBe('listener_manager.workers_started: 1\nserver.state: 0\n');
    });

    it.each([
      ['filter=server.live', 'server.live: 1\n'],
      ['filter=^server%5C.liv%2Be$', 'server.live: 1\n'], // %2B is +, %5C is \
      ['filter=^server\\.liv+e$', 'server.live: 1\n'], // a raw + is not a space
      ['filter=^server\\.live$&type=Counters', ''],
      ['filter=no-such-stat', ''],
    ])('?%s', async (query, body) => {
      const answer = await raw('GET', fake.admin(`/stats?usedonly&${query}`));
      expect([answer.status, answer.body]).toEqual([200, body]);
    });

    it.each([
      ['filter=(', 'Invalid re2 regex'],
      ['format=xml', 'usage: /stats?format=(html|active-html|json|prometheus|text)\n\n'],
      ['format=html', 'usage: /stats?format=(html|active-html|json|prometheus|text)\n\n'],
      ['type=gauges', 'invalid &type= param'],
    ])('?%s → 400', async (query, body) => {
      const answer = await raw('GET', fake.admin(`/stats?${query}`));
      expect([answer.status, answer.body]).toEqual([400, body]);
    });

    it('format=json', async () => {
      const answer = await raw('GET', fake.admin('/stats?format=json&filter=^server\\.live$'));
      expect(JSON.parse(answer.body)).toEqual({ stats: [{ name: 'server.live', value: 1 }] });
    });

    it('format=prometheus and /stats/prometheus', async () => {
      for (const path of ['/stats?format=prometheus&usedonly', '/stats/prometheus?usedonly']) {
        const body = (await raw('GET', fake.admin(path))).body;
        expect(body).toContain('# TYPE envoy_server_state gauge\nenvoy_server_state{} 0\n');
        expect(body).toContain('# TYPE envoy_listener_manager_lds_update_success counter\n');
        expect(body).toMatch(/^envoy_listener_admin_downstream_cx_active\{\} [1-9]/m);
      }
      const filtered = (await raw('POST', fake.admin('/stats/prometheus?filter=^server\\.live$'))).body;
      expect(filtered).toBe('# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n');
    });
  });
});

describe('/ready and pilot-agent readiness through start-up', () => {
  it('PRE_INITIALIZING, then INITIALIZING; inbound not accepting; pilot-agent 503 with an empty body', async () => {
    const fake = await startFake(['--init-start-after', '1500ms', '--ready-after', 'never']);
    try {
      expect(await raw('GET', fake.admin('/ready'))).toMatchObject({ status: 503, body: 'PRE_INITIALIZING\n' });
      await eventually(async () => ((await raw('GET', fake.admin('/ready'))).body === 'INITIALIZING\n' ? true : undefined), 5000, 'INITIALIZING');
      expect((await raw('GET', fake.admin('/server_info'))).body).toContain('"state": "INITIALIZING"');
      const agent = await raw('GET', `http://127.0.0.1:${fake.ports.pilotAgent}/healthz/ready`);
      expect([agent.status, agent.body]).toEqual([503, '']);
      expect(await tryConnect(fake.ports.inbound!)).toBe('ECONNREFUSED');
      // Through the 15021 listener: it is not accepting yet either (workers not started).
      expect(await tryConnect(fake.ports.health!)).toBe('ECONNREFUSED');
      const line = await fake.proc.waitForLog('pilot-agent call');
      expect(line.reason).toBe('config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected');
    } finally {
      await fake.stop();
    }
  });

  it('becomes ready: pilot-agent asks /stats (not /ready), 15021 forwards, then the answer is cached', async () => {
    const fake = await startFake(['--ready-after', '300ms', '--stats-flush-interval', '60s']);
    try {
      const agentUrl = `http://127.0.0.1:${fake.ports.pilotAgent}/healthz/ready`;
      await eventually(async () => ((await raw('GET', agentUrl)).status === 200 ? true : undefined), 5000, 'pilot-agent ready');
      const health = await raw('GET', `http://127.0.0.1:${fake.ports.health}/healthz/ready`);
      expect([health.status, health.body]).toEqual([200, '']);
      await fake.waitForCall('GET /stats?usedonly&filter=^(cluster_manager\\.cds|listener_manager\\.lds)\\.(update_success|update_rejected)$ 200');
      await fake.waitForCall('GET /stats?usedonly&filter=^(server\\.state|listener_manager\\.workers_started) 200');
      expect(fake.adminCalls().some((c) => c.startsWith('GET /ready'))).toBe(false);
      // Cached: health check failure does not make pilot-agent unready, and it stops asking Envoy.
      expect((await raw('POST', fake.admin('/healthcheck/fail'))).status).toBe(200);
      const statsCalls = () => fake.adminCalls().filter((c) => c.startsWith('GET /stats')).length;
      await new Promise((r) => setTimeout(r, 200)); // the log reaches us through a pipe
      const before = statsCalls();
      expect((await raw('GET', agentUrl)).status).toBe(200);
      expect((await raw('GET', `http://127.0.0.1:${fake.ports.health}/healthz/ready`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect(statsCalls()).toBe(before);
    } finally {
      await fake.stop();
    }
  });

  it('--reject-config: Envoy is LIVE but pilot-agent stays 503; no LDS listeners', async () => {
    const fake = await startFake(['--ready-after', '100ms', '--reject-config', '--stats-flush-interval', '100ms']);
    try {
      await eventually(async () => ((await raw('GET', fake.admin('/ready'))).status === 200 ? true : undefined), 5000, 'LIVE');
      expect(await stat(fake, 'listener_manager.lds.update_rejected')).toBe(1);
      expect(await stat(fake, 'cluster_manager.cds.update_success')).toBeUndefined();
      expect((await raw('GET', `http://127.0.0.1:${fake.ports.pilotAgent}/healthz/ready`)).status).toBe(503);
      expect(await tryConnect(fake.ports.inbound!)).toBe('ECONNREFUSED');
    } finally {
      await fake.stop();
    }
  });
});

describe('/healthcheck/fail and stats update semantics', () => {
  it('server.live and /ready change at once; server.state only at the next flush', async () => {
    // A flush period far longer than the test: server.state cannot change.
    const fake = await startFake(['--ready-after', '100ms', '--stats-flush-interval', '60s']);
    try {
      await eventually(async () => ((await stat(fake, 'server.state')) === 0 ? true : undefined), 5000, 'server.state 0 at workers start');
      const fail = await raw('POST', fake.admin('/healthcheck/fail'));
      expect([fail.status, fail.body]).toEqual([200, 'OK\n']);
      expect(await raw('GET', fake.admin('/ready'))).toMatchObject({ status: 503, body: 'DRAINING\n' });
      expect(JSON.parse((await raw('GET', fake.admin('/server_info'))).body).state).toBe('DRAINING');
      expect(await stat(fake, 'server.live')).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(await stat(fake, 'server.state')).toBe(0);
      // Listeners keep accepting.
      expect(await tryConnect(fake.ports.inbound!)).toBe('connected');
      // Idempotent, and reversible.
      expect((await raw('POST', fake.admin('/healthcheck/fail'))).status).toBe(200);
      expect(await raw('POST', fake.admin('/healthcheck/ok'))).toMatchObject({ status: 200, body: 'OK\n' });
      expect(await raw('GET', fake.admin('/ready'))).toMatchObject({ status: 200, body: 'LIVE\n' });
      expect(await stat(fake, 'server.live')).toBe(1);
    } finally {
      await fake.stop();
    }
  });

  it('server.state becomes 1 at a flush (--stats-flush-interval)', async () => {
    const fake = await startFake(['--ready-after', '100ms', '--stats-flush-interval', '300ms']);
    try {
      await eventually(async () => ((await raw('GET', fake.admin('/ready'))).status === 200 ? true : undefined), 5000, 'LIVE');
      await raw('POST', fake.admin('/healthcheck/fail'));
      await eventually(async () => ((await stat(fake, 'server.state')) === 1 ? true : undefined), 3000, 'server.state 1');
    } finally {
      await fake.stop();
    }
  });

  it('/reset_counters zeroes counters', async () => {
    const fake = await startFake(['--ready-after', '0s']);
    try {
      await eventually(async () => ((await stat(fake, 'listener_manager.lds.update_success')) === 1 ? true : undefined), 5000, 'config');
      expect(await raw('POST', fake.admin('/reset_counters'))).toMatchObject({ status: 200, body: 'OK\n' });
      expect(await stat(fake, 'listener_manager.lds.update_success')).toBe(0);
    } finally {
      await fake.stop();
    }
  });
});

describe('failure injection', () => {
  it('--admin-hang: accepts, never answers', async () => {
    const fake = await startFake(['--admin-hang']);
    try {
      await expect(raw('GET', fake.admin('/ready'), { timeoutMs: 500 })).rejects.toThrow('timeout');
      await fake.proc.waitForLog('admin call hung (injected)');
    } finally {
      await fake.stop();
    }
  });

  it('--stats-status and --stats-delay, after --faults-after', async () => {
    const fake = await startFake(['--stats-status', '503', '--stats-delay', '400ms', '--faults-after', '1s']);
    try {
      expect((await raw('GET', fake.admin('/stats'))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      const t0 = Date.now();
      expect((await raw('GET', fake.admin('/stats?usedonly'))).status).toBe(503);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
      expect((await raw('GET', fake.admin('/ready'))).status).not.toBe(500);
    } finally {
      await fake.stop();
    }
  });
});
