// Which signals the supervisor traps. Handlers are installed before the app is spawned, so no
// catchable signal can kill the supervisor and leave the app running unsupervised.
import { constants } from 'node:os';

// Forwarded to the app unchanged, as tini and dumb-init do.
const FORWARDED = [
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGALRM', 'SIGCONT',
  'SIGTSTP', 'SIGIO', 'SIGPWR', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGSTKFLT',
];
// Caught and dropped: their default action would stop the supervisor (job control), and they
// mean nothing to the app when they were aimed at us.
const SWALLOWED = ['SIGTTIN', 'SIGTTOU'];
// Never touched: SIGCHLD (libuv needs it to notice the app's exit), SIGPIPE (Node already
// ignores it), SIGURG (ignored by default, Go runtimes send it constantly) and the synchronous
// faults SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS: those describe our own state.
export const NEVER_FORWARDED = ['SIGCHLD', 'SIGPIPE', 'SIGURG', 'SIGTTIN', 'SIGTTOU', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGABRT', 'SIGTRAP', 'SIGSYS'];

const available = (names: string[]) => names.filter((n) => n in constants.signals) as NodeJS.Signals[];
export const FORWARDED_SIGNALS = available(FORWARDED);

/** Routes every trapped signal to `onSignal`; returns an uninstaller. */
export function trapSignals(onSignal: (signal: NodeJS.Signals) => void): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of FORWARDED_SIGNALS) handlers.set(signal, () => onSignal(signal));
  for (const signal of available(SWALLOWED)) handlers.set(signal, () => undefined);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
