import { describe, expect, it } from 'vitest';
import { activeProxyConnections, parseIstioStats } from '../../../src/fake/pilot-stats.js';
import { helpText, methodNotAllowedBody, NOT_FOUND_PREFIX } from '../../../src/fake/admin-table.js';
import { isLoopbackAddress } from '../../../src/fake/http-listener.js';
import { statAddress } from '../../../src/fake/connection-stats.js';

describe("pilot-agent's stats parsing (status/util/stats.go)", () => {
  const names = ['server.state', 'listener_manager.workers_started'];
  it.each([
    ['server.state: 0\nlistener_manager.workers_started: 1\n', [0, 1], undefined],
    ['listener_manager.workers_started: 1\n', [0, 1], undefined],
    ['', [0, 0], undefined],
    ['server.state: 3\nserver.state: 0\n', [3, 0], undefined],
    ['server.state_other: 7\n', [7, 0], undefined],
    ['server.state: x\n', [0, 0], 'failed parsing'],
    ['server.state: 1: 2\n', [0, 0], 'missing separator'],
  ])('%j', (body, [state, workers], error) => {
    const result = parseIstioStats(body, names);
    expect([result.values.get('server.state'), result.values.get('listener_manager.workers_started')]).toEqual([state, workers]);
    if (error) expect(result.error).toContain(error);
    else expect(result.error).toBeUndefined();
  });
});

describe("pilot-agent's active connection sum (pkg/envoy/agent.go)", () => {
  const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');
  it.each([
    ['empty body means no stats', '', undefined],
    ['listener lines only', lines('http.inbound_0.0.0.0_8080.downstream_cx_active: 5', 'listener.0.0.0.0_15006.downstream_cx_active: 2'), 2],
    ['per-worker lines skipped', lines('listener.0.0.0.0_15006.downstream_cx_active: 2', 'listener.0.0.0.0_15006.worker_0.downstream_cx_active: 2'), 2],
    ['admin and 15021/15090 skipped', lines('listener.admin.downstream_cx_active: 1', 'listener.admin.main_thread.downstream_cx_active: 1', 'listener.0.0.0.0_15021.downstream_cx_active: 3', 'listener.0.0.0.0_15090.downstream_cx_active: 4'), 0],
    ['15021 on 127.0.0.1 is not skipped (0.0.0.0 is hard-coded)', lines('listener.127.0.0.1_15021.downstream_cx_active: 3'), 3],
    ['internal listeners skipped', lines('listener.envoy_internal_x.downstream_cx_active: 9', 'listener.0.0.0.0_15001.downstream_cx_active: 1'), 1],
  ])('%s', (_, body, expected) => expect(activeProxyConnections(body, 15021)).toBe(expected));
});

describe('admin help and bodies', () => {
  it('lists handlers as `  /path (POST): help` with parameter lines', () => {
    const help = helpText();
    expect(help).toContain('  /healthcheck/fail (POST): cause the server to fail health checks\n');
    expect(help).toContain('  /ready: print server state, return 200 if LIVE, otherwise return 503\n');
    expect(help).toMatch(/\n {6}inboundonly: /);
    expect(NOT_FOUND_PREFIX).toBe('invalid path. admin commands are:\n');
  });

  it.each(['GET', 'HEAD', 'PUT'])('405 body for %s has no newline', (m) => expect(methodNotAllowedBody(m)).toBe(`Method ${m} not allowed, POST required.`));
});

describe('addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:192.0.2.2', false],
    [undefined, false],
  ])('isLoopbackAddress(%s) = %s', (a, expected) => expect(isLoopbackAddress(a)).toBe(expected));

  it.each([
    ['0.0.0.0', 15006, '0.0.0.0_15006'],
    ['127.0.0.1', 8080, '127.0.0.1_8080'],
    ['::', 15006, '[__]_15006'],
  ])('statAddress(%s, %d) = %s', (host, port, name) => expect(statAddress(host, port)).toBe(name));
});
