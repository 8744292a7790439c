// The wait loop of wait-for-app-exit with a scripted socket table and virtual time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { parseLine, type TcpSocket } from '../../src/proc-net.js';
import { ruleFor } from '../../src/wait-app-exit-listeners.js';
import { readSockets, waitForAppExit } from '../../src/wait-app-exit.js';

const tail = '00000000:00000000 00:00000000 00000000  1000        0 1 1';
const APP = parseLine(`0: 0100007F:1F90 00000000:0000 0A ${tail}`)!; // 127.0.0.1:8080 uid 1000
const PROXY = parseLine(`0: 00000000:3A9E 00000000:0000 0A ${tail}`)!; // 0.0.0.0:15006

/** Sleeps advance a counter instead of waiting. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => void (slept.push(ms), (t += ms)) };
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, lines };
}

/** Returns each table in turn, then repeats the last one. */
const script = (...tables: TcpSocket[][]) => {
  let i = 0;
  return async () => tables[Math.min(i++, tables.length - 1)]!;
};

describe('waitForAppExit', () => {
  const rule = ruleFor([], 1337);

  it.each([
    ['no listener at all', [[]], 0, 0],
    ['only proxy listeners', [[PROXY]], 0, 0],
    ['the app stops after three polls', [[APP, PROXY], [APP, PROXY], [APP], [PROXY]], 0, 3],
  ])('%s → exit %i after %i sleeps', async (_, tables, code, sleeps) => {
    const clock = fakeClock();
    const { log } = capture();
    await expect(waitForAppExit({ rule, pollIntervalMs: 500, timeoutMs: 0 }, { clock, log, readSockets: script(...tables) })).resolves.toBe(code);
    expect(clock.slept).toHaveLength(sleeps);
  });

  it('times out with 69 and logs what still listens', async () => {
    const clock = fakeClock();
    const { log, lines } = capture();
    const code = await waitForAppExit({ rule, pollIntervalMs: 400, timeoutMs: 1000 }, { clock, log, readSockets: script([APP, PROXY]) });
    expect(code).toBe(69);
    expect(clock.slept).toEqual([400, 400, 200]); // the last sleep ends at the deadline
    expect(lines.at(-1)).toMatchObject({ msg: 'timed out; the app still listens', listening: ['127.0.0.1:8080 (uid 1000)'], ms: 1000 });
  });

  it('exits 69 when the table cannot be read', async () => {
    const { log, lines } = capture();
    const readSockets = () => Promise.reject(new Error('ENOENT: /proc/net/tcp'));
    await expect(waitForAppExit({ rule, pollIntervalMs: 100, timeoutMs: 0 }, { clock: fakeClock(), log, readSockets })).resolves.toBe(69);
    expect(lines.at(-1)).toMatchObject({ level: 50, error: 'ENOENT: /proc/net/tcp' });
  });
});

describe('readSockets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proc-net-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads tcp and tcp6; a missing tcp6 is no error; a missing tcp is', async () => {
    writeFileSync(join(dir, 'tcp'), `  sl  local_address …\n   0: 0100007F:1F90 00000000:0000 0A ${tail}\n`);
    await expect(readSockets(dir)).resolves.toHaveLength(1);
    writeFileSync(join(dir, 'tcp6'), `  sl …\n   0: ${'0'.repeat(32)}:1F91 ${'0'.repeat(32)}:0000 0A ${tail}\n`);
    await expect(readSockets(dir)).resolves.toHaveLength(2);
    await expect(readSockets(join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});
