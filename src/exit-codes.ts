import { constants } from 'node:os';

// Named like linkerd-await's constants; values follow sysexits(3), tini and the shell.
export const EXIT_OK = 0;
export const EXIT_USAGE = 64; // EX_USAGE: bad flag, value, env value or URL
export const EXIT_UNAVAILABLE = 69; // EX_UNAVAILABLE: sidecar never ready, or unreachable when it had to be
export const EXIT_NOT_EXECUTABLE = 126;
export const EXIT_NOT_FOUND = 127;

/** The shell's convention for "killed by signal N": 128 + N. */
export function signalExitCode(signal: string): number {
  const number = constants.signals[signal as keyof typeof constants.signals];
  if (number === undefined) throw new Error(`unknown signal ${signal}`);
  return 128 + number;
}

/** How the app ended, as the supervisor reports it. */
export type AppExit =
  | { kind: 'exited'; code: number }
  | { kind: 'signaled'; signal: string }
  | { kind: 'not-started'; code: typeof EXIT_NOT_FOUND | typeof EXIT_NOT_EXECUTABLE; reason: string };

export function appExitCode(exit: AppExit): number {
  switch (exit.kind) {
    case 'exited':
      return exit.code;
    case 'signaled':
      return signalExitCode(exit.signal);
    case 'not-started':
      return exit.code;
  }
}
