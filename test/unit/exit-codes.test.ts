import { describe, expect, it } from 'vitest';
import { appExitCode, signalExitCode } from '../../src/exit-codes.js';
import { parseCatchableSignal, parseSignal } from '../../src/signal-names.js';

describe('exit codes', () => {
  it.each([
    ['SIGHUP', 129],
    ['SIGINT', 130],
    ['SIGKILL', 137],
    ['SIGSEGV', 139],
    ['SIGTERM', 143],
  ])('%s → %d', (signal, code) => expect(signalExitCode(signal)).toBe(code));

  it.each([
    [{ kind: 'exited', code: 0 } as const, 0],
    [{ kind: 'exited', code: 255 } as const, 255],
    [{ kind: 'signaled', signal: 'SIGTERM' } as const, 143],
    [{ kind: 'not-started', code: 127, reason: 'x' } as const, 127],
    [{ kind: 'not-started', code: 126, reason: 'x' } as const, 126],
  ])('%j → %d', (exit, code) => expect(appExitCode(exit)).toBe(code));
});

describe('signal names', () => {
  it.each([
    ['SIGTERM', 'SIGTERM'],
    ['TERM', 'SIGTERM'],
    ['term', 'SIGTERM'],
    ['15', 'SIGTERM'],
    ['sigquit', 'SIGQUIT'],
    ['9', 'SIGKILL'],
  ])('%s → %s', (text, name) => expect(parseSignal(text)).toBe(name));
  it.each(['', 'FOO', '999', 'SIG'])('rejects %j', (text) => expect(() => parseSignal(text)).toThrow(/unknown signal/));
  it.each(['KILL', 'SIGSTOP', '9'])('%s cannot be a trapped signal', (text) => expect(() => parseCatchableSignal(text)).toThrow(/cannot be caught/));
});
