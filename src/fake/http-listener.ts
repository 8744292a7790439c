// An HTTP/1.1 server whose listening socket and connections are managed separately, as Envoy's
// are: stopping the listener closes only the LISTEN socket (the LISTEN line leaves
// /proc/net/tcp) and leaves every accepted connection alone. Node's http.Server.close() would
// also close idle keep-alive connections, so the server never listens itself: a net.Server
// accepts and hands each socket over.
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';

export interface HttpListenerHooks {
  onOpen?: (socket: net.Socket) => void;
  onClose?: (socket: net.Socket) => void;
}

export class HttpListener {
  readonly http: http.Server;
  readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  port = 0;

  constructor(handler: http.RequestListener, private readonly hooks: HttpListenerHooks = {}) {
    // No keep-alive or request timeouts: Envoy's idle timeout is 1 h and its request timeout
    // is off by default; idle connections must stay open until the client closes them.
    this.http = http.createServer({ keepAliveTimeout: 0, requestTimeout: 0, headersTimeout: 0 }, handler);
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  async listen(host: string, port: number): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    server.listen({ host, port, exclusive: true });
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    this.hooks.onOpen?.(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.hooks.onClose?.(socket);
    });
    this.http.emit('connection', socket);
  }

  /** Closes the listening socket only. */
  stop(): void {
    this.server?.close();
  }

  /** Closes the listening socket and resets every connection: no drain. */
  destroy(): void {
    this.stop();
    for (const socket of this.sockets) socket.destroy();
  }
}

/** Binds and releases a port, so a listener that starts later (Envoy's LDS listeners) can use it. */
export async function reservePort(host: string, port: number): Promise<number> {
  if (port !== 0) return port;
  const server = net.createServer();
  server.listen({ host, port: 0, exclusive: true });
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  const bound = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return bound;
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}
