// The handshake between `drain` (the app container's preStop hook) and a running `run`: a Unix
// socket in an owner-only directory. A filesystem socket, not an abstract one: abstract sockets
// live in the network namespace, which every container of the pod shares.
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from './log.js';

export type DrainReply = { status: 'drained'; [key: string]: unknown } | { status: 'not-started' };

/** Serves drain requests until closed. Never throws: without a socket, `drain` does the work itself. */
export async function serveControl(path: string, onDrain: () => Promise<DrainReply>, log: Logger): Promise<() => void> {
  const noop = () => undefined;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const dir = lstatSync(dirname(path));
    // Refuse a directory someone else could write to or read: they could plant or reach the socket.
    if (dir.uid !== process.getuid?.() || (dir.mode & 0o077) !== 0) {
      log.warn({ dir: dirname(path) }, 'control socket directory is not owner-only; drain handshake disabled');
      return noop;
    }
    if (await answers(path)) {
      log.warn({ path }, 'another supervisor owns the control socket; drain handshake disabled');
      return noop;
    }
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      // Typically a read-only root filesystem: `drain` then works alone, and the delay happens twice.
      log.warn({ path, error: (error as Error).message }, 'cannot prepare control socket (mount a writable emptyDir or set --control-socket); drain handshake disabled');
      return noop;
    }
  }

  const server: Server = createServer((socket) => {
    socket.setEncoding('utf8');
    let input = '';
    socket.on('data', (chunk: string) => {
      input += chunk;
      if (!input.includes('\n')) return void (input.length > 1024 && socket.destroy());
      if (input.trim() !== 'drain') return void socket.end('{"status":"error","error":"unknown request"}\n');
      void onDrain().then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
    socket.on('error', () => undefined);
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', (error) => {
      log.warn({ path, error: error.message }, 'cannot listen on control socket; drain handshake disabled');
      resolve(false);
    });
    server.listen(path, () => resolve(true));
  });
  if (!listening) return noop;
  chmodSync(path, 0o600);
  server.unref();
  const cleanup = () => {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.once('exit', cleanup);
  log.debug({ path }, 'control socket listening');
  return () => {
    server.close();
    cleanup();
  };
}

export type DrainRequest = { kind: 'done'; reply: DrainReply } | { kind: 'absent'; reason: string } | { kind: 'lost'; reason: string };

/** Asks a running supervisor to drain; resolves when it has, or says why it could not. */
export function requestDrain(path: string, timeoutMs: number): Promise<DrainRequest> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    let connected = false;
    let output = '';
    const timer = setTimeout(() => finish({ kind: 'lost', reason: `no reply within ${timeoutMs}ms` }), timeoutMs);
    const finish = (result: DrainRequest) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write('drain\n');
    });
    socket.on('data', (chunk: string) => (output += chunk));
    socket.on('end', () => {
      try {
        finish({ kind: 'done', reply: JSON.parse(output) as DrainReply });
      } catch {
        finish({ kind: 'lost', reason: 'supervisor closed the connection without a reply' });
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(connected ? { kind: 'lost', reason: error.message } : { kind: 'absent', reason: error.code ?? error.message }),
    );
  });
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve(false);
      else if (error.code === 'ECONNREFUSED') resolve(false);
      else resolve(true);
    });
  });
}
