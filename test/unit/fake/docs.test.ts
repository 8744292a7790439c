// docs/fake-envoy.md (pasted into the README) lists every option with its env name and default.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envName } from '../../../src/cli-options.js';
import { FAKE_ENVOY_OPTIONS } from '../../../src/commands/fake-envoy.js';

const doc = readFileSync(new URL('../../../docs/fake-envoy.md', import.meta.url), 'utf8');

describe('docs/fake-envoy.md', () => {
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
