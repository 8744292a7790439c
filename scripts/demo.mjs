#!/usr/bin/env node
// `npm run demo`: the whole lifecycle against the built-in fake Envoy, on free loopback ports.
// One timeline of what the fake sidecar, the supervisor, the app and a client each saw.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const BUNDLE = fileURLToPath(new URL('../dist/sidecar-lifecycle.mjs', import.meta.url));
const NODE = process.execPath;
const t0 = Date.now();
const stamp = (ms = Date.now()) => `${((ms - t0) / 1000).toFixed(3).padStart(7)}s`;
const SKIP = new Set(['level', 'time', 'name', 'msg', 'pid', 'hostname', 'component']);
let last = '';
let repeats = 0;

function print(who, text, ms) {
  if (text === last) return void repeats++;
  if (repeats) console.log(`${' '.repeat(9)}${''.padEnd(11)}  (same again ×${repeats})`);
  last = text;
  repeats = 0;
  console.log(`${stamp(ms)}  ${who.padEnd(11)}${text}`);
}

function describe(line) {
  const fields = Object.entries(line)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`);
  if (line.msg === 'admin call') return `admin call ${line.method} ${line.path} → ${line.status}`;
  return [line.msg, ...fields].join('  ');
}

function start(who, args) {
  const child = spawn(NODE, [BUNDLE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SIDECAR_LIFECYCLE_CONTROL_SOCKET: 'none' } });
  const logs = [];
  const waiters = [];
  let buffer = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk;
    for (let nl; (nl = buffer.indexOf('\n')) >= 0; buffer = buffer.slice(nl + 1)) {
      const text = buffer.slice(0, nl);
      let line;
      try {
        line = JSON.parse(text);
      } catch {
        print(who, text);
        continue;
      }
      logs.push(line);
      print(who, describe(line), Date.parse(line.time));
      for (const w of waiters.splice(0)) w();
    }
  });
  child.stdout.setEncoding('utf8').on('data', (chunk) => chunk.trimEnd().split('\n').forEach((l) => print('app', l)));
  const waitFor = async (msg) => {
    for (;;) {
      const found = logs.find((l) => l.msg === msg);
      if (found) return found;
      await new Promise((resolve) => waiters.push(resolve));
    }
  };
  return { child, waitFor, exited: once(child, 'close') };
}

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

function get(port, path, agent) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(`${res.statusCode}, Connection: ${res.headers.connection ?? '(none)'}`));
    });
    req.on('error', (error) => resolve(`error ${error.code ?? error.message}`));
  });
}

const APP = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  console.log('handling ' + req.url);
  setTimeout(() => res.end('hello from the app\\n'), req.url === '/slow' ? 1500 : 0);
});
server.listen(${await freePort()}, '127.0.0.1', () => console.log('listening on ' + server.address().port));
process.on('SIGTERM', () => { console.log('SIGTERM: closing'); server.close(() => process.exit(0)); });`;
const appPort = Number(/listen\((\d+)/.exec(APP)[1]);

console.log('sidecar-lifecycle demo: a fake Istio sidecar, an app under `run`, and a client.\n');
const fake = start('fake-envoy', ['fake-envoy', '--admin-port', '0', '--pilot-agent-port', '0', '--inbound-port', '0', '--outbound-port', '0', '--health-port', '0',
  '--listener-address', '127.0.0.1', '--app-port', String(appPort), '--ready-after', '1500ms', '--stats-flush-interval', '1s', '--termination-drain-duration', '1s']);
const { ports } = await fake.waitFor('fake envoy started');

const supervisor = start('run', ['run', '--ready-url', `http://127.0.0.1:${ports.pilotAgent}/healthz/ready`, '--admin-url', `http://127.0.0.1:${ports.admin}`,
  '--inbound-stat-regex', `^listener\\..*_${ports.inbound}\\.downstream_cx_active$`, '--shutdown-delay', '2s', '--drain-timeout', '8s', '--', NODE, '-e', APP]);
await supervisor.waitFor('app started');
await new Promise((resolve) => setTimeout(resolve, 300));

const client = new http.Agent({ keepAlive: true, maxSockets: 1 });
print('client', `GET / through the inbound listener: ${await get(ports.inbound, '/', client)}`);
const slow = get(ports.inbound, '/slow', new http.Agent({ keepAlive: true })).then((r) => print('client', `GET /slow (in flight during the shutdown): ${r}`));
await new Promise((resolve) => setTimeout(resolve, 200));

print('demo', 'kill -TERM <run>   (what the kubelet does when the pod is deleted)');
supervisor.child.kill('SIGTERM');
await new Promise((resolve) => setTimeout(resolve, 600));
print('client', `GET / during the shutdown delay: ${await get(ports.inbound, '/', client)}`);
const [code] = await supervisor.exited;
await slow;
print('demo', `run exited with code ${code}; now stopping the fake sidecar like the kubelet stops istio-proxy`);
fake.child.kill('SIGTERM');
await fake.exited;
print('demo', 'done');
client.destroy();
