import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_OPTIONS, envName, OPTION_SPECS, parseBool, toCommanderOption } from '../../src/cli-options.js';
import { VERSION } from '../../src/version.js';

describe('option table', () => {
  it.each([
    ['poll-interval', 'SIDECAR_LIFECYCLE_POLL_INTERVAL'],
    ['mesh', 'SIDECAR_LIFECYCLE_MESH'],
    ['allow-remote-admin', 'SIDECAR_LIFECYCLE_ALLOW_REMOTE_ADMIN'],
  ])('%s reads %s', (flag, env) => expect(envName(flag)).toBe(env));

  it('every valued option reads its env var', () => {
    for (const spec of Object.values(OPTION_SPECS).filter((s) => s.arg)) {
      expect(toCommanderOption(spec).envVar).toBe(envName(spec.name));
    }
  });

  it('run takes every option', () => {
    expect(new Set(COMMAND_OPTIONS.run)).toEqual(new Set(Object.keys(OPTION_SPECS)));
  });

  it.each([
    ['true', true], ['1', true], ['YES', true], ['on', true],
    ['false', false], ['0', false], ['no', false], ['', false],
  ])('parseBool(%j) → %s', (text, value) => expect(parseBool(text)).toBe(value));
  it.each(['maybe', '2', 'tru'])('parseBool rejects %j', (text) => expect(() => parseBool(text)).toThrow(/not a boolean/));
});

describe('version', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
