// The README's fake-envoy section lists every option with its env name and default.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envName } from '../../../src/cli-options.js';
import { FAKE_ENVOY_OPTIONS } from '../../../src/commands/fake-envoy.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const doc = readme.slice(readme.indexOf('## A sidecar on your laptop: `fake-envoy`'));

describe('README: fake-envoy section', () => {
  it.each(FAKE_ENVOY_OPTIONS.map((s) => [s.name, s] as const))('documents --%s', (_, spec) => {
    const flag = spec.arg ? `--${spec.name} <${spec.arg.replaceAll('|', '\\|')}>` : `--${spec.name}`;
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${flag}\` |`));
    expect(row, `a table row for ${flag}`).toBeDefined();
    expect(row).toContain(`\`${envName(spec.name)}\``);
    expect(row).toContain(`| ${spec.defaultText} |`);
  });

  it('has the one-minute tour and the list of what is not modelled', () => {
    expect(doc).toContain('### Try it in one minute');
    expect(doc).toContain('### What it does not model');
    expect(doc).toContain('HTTP/2');
  });
});
