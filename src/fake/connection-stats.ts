// Envoy's per-listener connection stats, updated in real time as connections open and close
// (ConnectionHandlerImpl::ActiveConnection ctor/dtor):
//   listener.<addr>.downstream_cx_active / _total, listener.<addr>.<worker>.downstream_cx_active,
//   http.<prefix>.downstream_cx_active / _total / _drain_close, http.<prefix>.downstream_rq_total.
import type net from 'node:net';
import type { StatsStore } from './stats.js';

export class ConnectionStats {
  private readonly worker = new WeakMap<net.Socket, string>();
  private next = 0;

  /**
   * `listener` is the stat name part (`0.0.0.0_15006`, `admin`); `workers` are the per-thread
   * names (`worker_0`…, or `main_thread` for admin); `http` is the HCM stat prefix, if any.
   */
  constructor(
    private readonly stats: StatsStore,
    readonly listener: string,
    private readonly workers: string[],
    private readonly http: string | undefined,
  ) {
    for (const name of this.gauges()) stats.define(name, 'gauge');
    for (const w of workers) stats.define(`listener.${listener}.${w}.downstream_cx_active`, 'gauge');
    stats.define(`listener.${listener}.downstream_cx_total`, 'counter');
    if (http) for (const c of ['downstream_cx_total', 'downstream_cx_drain_close', 'downstream_rq_total']) stats.define(`http.${http}.${c}`, 'counter');
  }

  get activeName(): string {
    return `listener.${this.listener}.downstream_cx_active`;
  }

  active(): number {
    return this.stats.get(this.activeName) ?? 0;
  }

  private gauges(): string[] {
    return [this.activeName, ...(this.http ? [`http.${this.http}.downstream_cx_active`] : [])];
  }

  open(socket: net.Socket): void {
    // Connections are spread over the workers round-robin, like the kernel's reuse_port balancing.
    const worker = this.workers[this.next++ % this.workers.length]!;
    this.worker.set(socket, worker);
    for (const name of [...this.gauges(), `listener.${this.listener}.${worker}.downstream_cx_active`]) this.stats.add(name, 1, 'gauge');
    this.stats.add(`listener.${this.listener}.downstream_cx_total`, 1);
    if (this.http) this.stats.add(`http.${this.http}.downstream_cx_total`, 1);
  }

  close(socket: net.Socket): void {
    const worker = this.worker.get(socket);
    if (worker === undefined) return;
    for (const name of [...this.gauges(), `listener.${this.listener}.${worker}.downstream_cx_active`]) this.stats.add(name, -1, 'gauge');
  }

  request(): void {
    if (this.http) this.stats.add(`http.${this.http}.downstream_rq_total`, 1);
  }

  drainClosed(): void {
    if (this.http) this.stats.add(`http.${this.http}.downstream_cx_drain_close`, 1);
  }
}

/** `0.0.0.0:15006` → `0.0.0.0_15006`; `[::]:15006` → `[__]_15006` (`:` becomes `_`). */
export function statAddress(host: string, port: number): string {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return address.replaceAll(':', '_');
}

export const workerNames = (concurrency: number) => Array.from({ length: Math.max(1, concurrency) }, (_, i) => `worker_${i}`);
