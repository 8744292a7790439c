#!/usr/bin/env node
// Benchmarks: what the supervisor costs, next to tini and dumb-init (Debian packages) and to no
// wrapper at all. Numbers, not pass/fail: tests only bound these loosely.
//   npm run bench            (needs `npm run build`; tini/dumb-init rows are skipped if missing)
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const BUNDLE = fileURLToPath(new URL('../dist/sidecar-lifecycle.mjs', import.meta.url));
const NODE = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const now = () => performance.timeOrigin + performance.now();
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const env = { ...process.env, SIDECAR_LIFECYCLE_CONTROL_SOCKET: 'none' };

const wrappers = [
  ['none', []],
  ...(has('tini') ? [['tini', ['tini', '-s', '--']]] : []),
  ...(has('dumb-init') ? [['dumb-init', ['dumb-init']]] : []),
  ['sidecar-lifecycle --disabled', [NODE, BUNDLE, 'run', '--disabled', '--shutdown-delay', '0s', '--']],
];

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p90: q(0.9), max: s[s.length - 1] };
};
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function spawnWait(argv, opts = {}) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'ignore'], env, ...opts });
  const [code] = await once(child, 'exit');
  return code;
}

// 1. Wall time of `true` under each wrapper: start-up plus exit propagation.
async function overhead() {
  const rows = [];
  for (const [name, prefix] of wrappers) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = now();
      await spawnWait([...prefix, 'true']);
      times.push(now() - t);
    }
    rows.push([name, stats(times)]);
  }
  return rows;
}

// 2. Resident memory of the wrapper process itself while the app sleeps.
async function memory() {
  const rows = [];
  for (const [name, prefix] of wrappers.filter(([n]) => n !== 'none')) {
    const child = spawn(prefix[0], [...prefix.slice(1), 'sleep', '30'], { stdio: 'ignore', env });
    await new Promise((r) => setTimeout(r, 700));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
    child.kill('SIGKILL');
    spawnSync('pkill', ['-f', 'sleep 30']);
    rows.push([name, kib]);
  }
  return rows;
}

// 3. Signal forwarding latency: SIGUSR1 sent to the wrapper → handler runs in the app.
const APP = `process.on('SIGUSR1', () => process.stdout.write(String(performance.timeOrigin + performance.now()) + '\\n'));
process.on('SIGTERM', () => process.exit(0)); process.stdout.write('up\\n'); setInterval(() => {}, 1e6);`;
async function forwarding() {
  const rows = [];
  for (const [name, prefix] of wrappers) {
    const child = spawn(prefix[0] ?? NODE, [...prefix.slice(1), ...(prefix.length ? [NODE] : []), '-e', APP], { stdio: ['ignore', 'pipe', 'ignore'], env });
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (buf += d));
    while (!buf.includes('up\n')) await new Promise((r) => setTimeout(r, 10));
    const lat = [];
    for (let i = 0; i < RUNS; i++) {
      const before = buf.length;
      const t = now();
      child.kill('SIGUSR1');
      while (buf.length === before || !buf.endsWith('\n')) await new Promise((r) => setImmediate(r));
      lat.push(Number(buf.slice(before).trim()) - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    await once(child, 'exit');
    rows.push([name, stats(lat)]);
  }
  return rows;
}

// 4. Sidecar-facing latencies: readiness noticed after the sidecar turns ready; shutdown overhead
//    from SIGTERM to the app's signal with zero delay and no connections.
async function sidecarLatencies() {
  let ready = false;
  let readyAt = 0;
  let firstOk = 0;
  const server = createServer((req, res) => {
    if (req.url.startsWith('/healthz/ready')) {
      if (ready && !firstOk) firstOk = now();
      return void res.writeHead(ready ? 200 : 503).end();
    }
    if (req.url.startsWith('/stats')) return void res.end('listener.0.0.0.0_15006.downstream_cx_active: 0\n');
    res.end('OK\n');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  const noticed = [];
  const shutdown = [];
  for (let i = 0; i < Math.min(RUNS, 10); i++) {
    ready = false;
    firstOk = 0;
    const child = spawn(NODE, [BUNDLE, 'run', '--ready-url', `${url}/healthz/ready`, '--admin-url', url, '--shutdown-delay', '0s', '--', NODE, '-e',
      `process.on('SIGTERM', () => { process.stdout.write(String(performance.timeOrigin + performance.now())); process.exit(0); }); process.stdout.write('up'); setInterval(() => {}, 1e6);`], { stdio: ['ignore', 'pipe', 'ignore'], env });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 100));
    ready = true;
    readyAt = now();
    while (!out.includes('up')) await new Promise((r) => setTimeout(r, 5));
    noticed.push(firstOk - readyAt);
    const t = now();
    child.kill('SIGTERM');
    await once(child, 'exit');
    shutdown.push(Number(out.slice(2)) - t);
  }
  server.close();
  return { noticed: stats(noticed), shutdown: stats(shutdown) };
}

// 5. CPU used by the supervisor while the app just runs: it should have no timers and no polling.
async function idleCpu() {
  const child = spawn(NODE, [BUNDLE, 'run', '--disabled', '--', 'sleep', '30'], { stdio: 'ignore', env });
  await new Promise((r) => setTimeout(r, 1000));
  const ticks = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0);
  const before = ticks();
  await new Promise((r) => setTimeout(r, 5000));
  const used = ticks() - before;
  child.kill('SIGKILL');
  spawnSync('pkill', ['-f', 'sleep 30']);
  return used * 10; // clock ticks of 10 ms
}

const o = await overhead();
const m = await memory();
const f = await forwarding();
const s = await sidecarLatencies();
const idle = await idleCpu();
console.log(`Node ${process.version}, ${RUNS} runs each, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| wrapper | `true` wall time median / p90 (ms) | wrapper RSS (MiB) | SIGUSR1 forward median / p90 (ms) |');
console.log('|---|---|---|---|');
for (const [name, t] of o) {
  const mem = m.find(([n]) => n === name)?.[1];
  const fw = f.find(([n]) => n === name)?.[1];
  console.log(`| ${name} | ${fmt(t.median)} / ${fmt(t.p90)} | ${mem ? (mem / 1024).toFixed(1) : '–'} | ${fw ? `${fmt(fw.median)} / ${fmt(fw.p90)}` : '–'} |`);
}
console.log(`\nsidecar ready → first 200 seen (poll 100ms): median ${fmt(s.noticed.median)} ms, p90 ${fmt(s.noticed.p90)} ms`);
console.log(`SIGTERM → app signalled (delay 0, drain call + one stats read): median ${fmt(s.shutdown.median)} ms, p90 ${fmt(s.shutdown.p90)} ms`);
console.log(`supervisor CPU while the app runs: ${idle} ms over 5 s`);
