// Spawning the app and delivering signals to it.
import { execa } from 'execa';
import { EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, type AppExit } from './exit-codes.js';

export interface App {
  pid: number | undefined;
  exited: Promise<AppExit>;
  /** Sends a signal to the app, or its whole process group; false when it is already gone. */
  signal(signal: NodeJS.Signals): boolean;
}

export function spawnApp(command: string, args: string[], opts: { signalGroup: boolean }): App {
  const child = execa(command, args, {
    stdio: 'inherit', // the app's bytes never pass through us: nothing to lose or reorder
    reject: false,
    buffer: false,
    // Its own session and process group, like dumb-init: a terminal's Ctrl-C then reaches the
    // app once (through us), not twice, and --signal-group can address the whole group.
    detached: true,
    cleanup: false, // execa's cleanup hooks signals itself; we own signal handling
    forceKillAfterDelay: false,
  });
  const exited = child.then((result): AppExit => {
    const code = (result as { code?: string }).code;
    if (result.failed && child.pid === undefined) {
      if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOEXEC') {
        return { kind: 'not-started', code: EXIT_NOT_EXECUTABLE, reason: `${command}: not executable (${code})` };
      }
      return {
        kind: 'not-started',
        code: EXIT_NOT_FOUND,
        reason: `${command}: command not found (${code ?? 'spawn failed'}); a script whose interpreter (#! line) is missing gives the same error`,
      };
    }
    if (result.signal) return { kind: 'signaled', signal: result.signal };
    return { kind: 'exited', code: result.exitCode ?? 0 };
  });
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    pid: child.pid,
    exited,
    signal(signal) {
      if (gone || child.pid === undefined) return false;
      try {
        process.kill(opts.signalGroup ? -child.pid : child.pid, signal);
        return true;
      } catch {
        return false;
      }
    },
  };
}
