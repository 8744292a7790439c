import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

// Synchronous writes to fd 2: a supervisor may exit right after logging (process.exit), and an
// async buffer would drop the last lines. stdout belongs to the app and is never touched.
export function createLogger(level: string, readable = false, name = 'sidecar-lifecycle'): Logger {
  const options = { level, base: { name }, timestamp: pino.stdTimeFunctions.isoTime };
  const target = readable
    ? pretty({ destination: 2, sync: true, ignore: 'pid,hostname,name', translateTime: 'HH:MM:ss.l' })
    : pino.destination({ fd: 2, sync: true });
  return pino(options, neverThrows(target));
}

// A full disk or a closed stderr must cost log lines, never the supervisor: if it died here, the
// app would run on unsupervised.
function neverThrows(target: DestinationStream & { on?: (event: string, fn: () => void) => unknown }): DestinationStream {
  target.on?.('error', () => undefined);
  return {
    write(line: string) {
      try {
        target.write(line);
      } catch {
        // dropped
      }
    },
  };
}
