// When stderr is a terminal, logs are readable lines, not JSON. `script` (util-linux) gives the
// supervisor a pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUNDLE, cleanEnv, NODE } from '../helpers/bundle.js';

const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;

describe.skipIf(!hasScript)('logs on a terminal', () => {
  it('are readable lines with level and message', () => {
    const command = `${NODE} ${BUNDLE} run --disabled --shutdown-delay 0s -- sh -c 'exit 4'`;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: cleanEnv({ TERM: 'dumb' }) });
    const text = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/INFO.*app started/);
    expect(text).toMatch(/INFO.*app exited/);
    expect(text).not.toMatch(/^\{"level"/m);
  });
});
