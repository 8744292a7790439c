import { describe, expect, it } from 'vitest';
import { parseTarget, percentDecode } from '../../../src/fake/query.js';

describe('parseTarget (Envoy query parsing)', () => {
  it.each([
    ['/ready', '/ready', {}],
    ['/ready/', '/ready/', {}],
    ['/drain_listeners?inboundonly&graceful', '/drain_listeners', { inboundonly: '', graceful: '' }],
    ['/stats?usedonly&filter=^(server\\.state|listener_manager\\.workers_started)', '/stats', { usedonly: '', filter: '^(server\\.state|listener_manager\\.workers_started)' }],
    ['/stats?filter=a+b', '/stats', { filter: 'a+b' }],
    ['/stats?filter=a%2Bb%24', '/stats', { filter: 'a+b$' }],
    ['/stats?filter=%5Elistener%5C.', '/stats', { filter: '^listener\\.' }],
    ['/stats?filter=', '/stats', { filter: '' }],
    ['/stats?format=json&format=text', '/stats', { format: 'json' }],
    ['/x?a=1=2', '/x', { a: '1=2' }],
    ['/x?&&a', '/x', { a: '' }],
    ['/x?k%20y=v%20w', '/x', { 'k y': 'v w' }],
  ])('%s', (url, path, params) => {
    const target = parseTarget(url);
    expect(target.path).toBe(path);
    for (const [k, v] of Object.entries(params)) {
      expect(target.query.has(k)).toBe(true);
      expect(target.query.first(k)).toBe(v);
    }
    expect(target.query.has('absent')).toBe(false);
  });

  it.each([
    ['plain', 'plain'],
    ['%41%42', 'AB'],
    ['%e2%82%ac', '€'],
    ['100%', '100%'],
    ['%zz%4', '%zz%4'],
    ['a+b', 'a+b'],
    ['é%20x', 'é x'],
  ])('percentDecode(%j) = %j', (input, output) => expect(percentDecode(input)).toBe(output));
});
