import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionsTable } from '../../src/options-table.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('holds the option table exactly as the code defines the options', () => {
    const start = readme.indexOf('<!-- options-table');
    const end = readme.indexOf('<!-- /options-table -->');
    expect(start).toBeGreaterThan(0);
    const table = readme.slice(readme.indexOf('\n', start) + 1, end).trim();
    expect(table).toBe(optionsTable());
  });

  it('starts with the two commands a newcomer needs', () => {
    const firstScreen = readme.split('\n').slice(0, 20).join('\n');
    expect(firstScreen).toContain('npm run demo');
    expect(firstScreen).toContain('npm test');
  });

  it('documents every exit code', () => {
    for (const code of ['127', '126', '64', '69', '128+N']) expect(readme).toContain(`| ${code} |`);
  });
});
