// An HTTP listener that applies a drain-close rule the way Envoy's connection manager does
// (ActiveStream::encodeHeadersInternal): the rule is asked only when a response is about to be
// sent; once it says yes the connection is draining for good, and every response on it carries
// `Connection: close` and ends the connection. Idle keep-alive connections are never touched.
import type http from 'node:http';
import type net from 'node:net';
import { HttpListener } from './http-listener.js';

export interface DrainCloseHooks {
  open?(socket: net.Socket): void;
  close?(socket: net.Socket): void;
  /** Envoy's drainClose(): asked before a response on a connection that is not draining yet. */
  drainClose(): boolean;
  /** The connection just started draining (Envoy counts downstream_cx_drain_close). */
  drained?(socket: net.Socket, req: http.IncomingMessage): void;
}

export class DrainCloseListener {
  readonly listener: HttpListener;
  private readonly draining = new WeakSet<net.Socket>();

  constructor(handler: http.RequestListener, private readonly hooks: DrainCloseHooks) {
    this.listener = new HttpListener(
      (req, res) => {
        this.beforeHeaders(req, res);
        handler(req, res);
      },
      { onOpen: (s) => hooks.open?.(s), onClose: (s) => hooks.close?.(s) },
    );
  }

  /** Runs the rule right before the status line is written, however the handler writes it. */
  private beforeHeaders(req: http.IncomingMessage, res: http.ServerResponse): void {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
    (res as { writeHead: unknown }).writeHead = (...args: unknown[]) => {
      const socket = req.socket;
      if (!this.draining.has(socket) && this.hooks.drainClose()) {
        this.draining.add(socket);
        this.hooks.drained?.(socket, req);
      }
      if (this.draining.has(socket)) res.setHeader('connection', 'close');
      return writeHead(...args);
    };
  }

  isDraining(socket: net.Socket): boolean {
    return this.draining.has(socket);
  }
}
