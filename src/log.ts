import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

// Synchronous writes to fd 2: a supervisor may exit right after logging (process.exit), and an
// async buffer would drop the last lines. stdout belongs to the app and is never touched.
export function createLogger(level: string, readable = false): Logger {
  const options = { level, base: { name: 'sidecar-lifecycle' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (readable) {
    return pino(options, pretty({ destination: 2, sync: true, ignore: 'pid,hostname,name', translateTime: 'HH:MM:ss.l' }));
  }
  return pino(options, pino.destination({ fd: 2, sync: true }));
}
