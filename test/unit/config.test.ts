import { describe, expect, it } from 'vitest';
import { checkUrl, isLoopbackHost, resolveConfig, UsageError, type ConfigInput } from '../../src/config.js';

describe('resolveConfig: mesh presets', () => {
  it.each<[string, ConfigInput, Partial<ReturnType<typeof resolveConfig>>]>([
    ['istio by default', {}, { mesh: 'istio', readyUrl: 'http://127.0.0.1:15020/healthz/ready', adminUrl: 'http://127.0.0.1:15000', quitUrl: 'http://127.0.0.1:15020/quitquitquit', drainMethod: 'healthcheck-fail' }],
    ['linkerd', { mesh: 'linkerd' }, { readyUrl: 'http://127.0.0.1:4191/ready', adminUrl: undefined, quitUrl: 'http://127.0.0.1:4191/shutdown', drainMethod: 'none' }],
    ['envoy', { mesh: 'envoy' }, { readyUrl: 'http://127.0.0.1:9901/ready', adminUrl: 'http://127.0.0.1:9901', quitUrl: 'http://127.0.0.1:9901/quitquitquit' }],
    ['envoy follows --admin-url', { mesh: 'envoy', adminUrl: 'http://127.0.0.1:19000/' }, { readyUrl: 'http://127.0.0.1:19000/ready', adminUrl: 'http://127.0.0.1:19000', quitUrl: 'http://127.0.0.1:19000/quitquitquit' }],
    ['explicit URLs win over the preset', { readyUrl: 'http://127.0.0.1:1/r', quitUrl: 'http://localhost:2/q' }, { readyUrl: 'http://127.0.0.1:1/r', quitUrl: 'http://localhost:2/q' }],
    ['explicit drain method wins', { mesh: 'istio', drainMethod: 'inbound' }, { drainMethod: 'inbound' }],
    ['defaults fit a 30 s grace period', {}, { pollIntervalMs: 100, requestTimeoutMs: 1000, waitTimeoutMs: 60_000, shutdownDelayMs: 5000, drainTimeoutMs: 15_000, stopTimeoutMs: 10_000, quitSidecar: 'never', onWaitTimeout: 'fail', shutdownSignal: 'SIGTERM', appSignal: 'SIGTERM', signalGroup: false, disabled: false }],
    ['given values are kept', { pollIntervalMs: 5, stopTimeoutMs: 0, quitSidecar: 'always' }, { pollIntervalMs: 5, stopTimeoutMs: 0, quitSidecar: 'always' }],
    ['remote URLs with the opt-in', { allowRemoteAdmin: true, adminUrl: 'http://10.1.2.3:15000' }, { adminUrl: 'http://10.1.2.3:15000' }],
  ])('%s', (_name, input, expected) => {
    expect(resolveConfig(input)).toMatchObject(expected);
  });

  it.each<[string, ConfigInput, RegExp]>([
    ['remote admin', { adminUrl: 'http://10.0.0.1:15000' }, /--admin-url: .* not a loopback address/],
    ['remote ready', { readyUrl: 'http://example.com/ready' }, /--ready-url: .* not a loopback/],
    ['remote quit', { quitUrl: 'http://192.168.1.1/quit' }, /--quit-url/],
    ['not a URL', { readyUrl: 'nope' }, /--ready-url: "nope" is not a URL/],
    ['wrong scheme', { adminUrl: 'ftp://127.0.0.1/' }, /must be an http/],
    ['linkerd drain without admin', { mesh: 'linkerd', drainMethod: 'healthcheck-fail' }, /needs --admin-url/],
    ['bad regex', { inboundStatRegex: '(' }, /invalid regular expression/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => resolveConfig(input)).toThrow(UsageError);
    expect(() => resolveConfig(input)).toThrow(message);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['[::1]', true],
    ['::1', true],
    ['[::ffff:127.0.0.1]', true],
    ['10.0.0.1', false],
    ['0.0.0.0', false],
    ['128.0.0.1', false],
    ['127.0.0.256', false],
    ['example.com', false],
    ['localhost.example.com', false],
    ['[::]', false],
  ])('%s → %s', (host, loopback) => expect(isLoopbackHost(host)).toBe(loopback));

  it('checkUrl sees the hostname of a bracketed IPv6 URL', () => {
    expect(checkUrl('--x', 'http://[::1]:15000', false)).toBe('http://[::1]:15000');
  });
});
