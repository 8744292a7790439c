// Parser for /proc/net/tcp and /proc/net/tcp6 (Linux `tcp4_seq_show` / `tcp6_seq_show`).
// Pure: the text and the host's byte order come in, sockets come out.
//
//   sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid  timeout inode …
//    0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 17249 …
//
// Addresses are the raw network-order 32-bit words printed as host-order integers, so on a
// little-endian host every word's bytes appear reversed (127.0.0.1 → 0100007F). Ports are plain hex.

export type Family = 4 | 6;
export type Endianness = 'LE' | 'BE';

/** `include/net/tcp_states.h`. */
export const TCP_LISTEN = 0x0a;

export interface TcpSocket {
  family: Family;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** TCP state, e.g. 0x0A = LISTEN, 0x01 = ESTABLISHED. */
  state: number;
  /** Effective uid of the socket's creator (accepted sockets inherit the listener's). */
  uid: number;
  inode: number;
}

const ENDPOINT = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/;

/** Every socket line of one file; the header and any line that does not parse are skipped. */
export function parseProcNetTcp(text: string, endianness: Endianness = 'LE'): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const line of text.split('\n')) {
    const socket = parseLine(line, endianness);
    if (socket) sockets.push(socket);
  }
  return sockets;
}

export function parseLine(line: string, endianness: Endianness = 'LE'): TcpSocket | undefined {
  const f = line.trim().split(/\s+/);
  if (f.length < 10 || !/^\d+:$/.test(f[0]!)) return undefined;
  const local = parseEndpoint(f[1]!, endianness);
  const remote = parseEndpoint(f[2]!, endianness);
  if (!local || !remote || local.family !== remote.family) return undefined;
  if (!/^[0-9A-Fa-f]{2}$/.test(f[3]!) || !/^\d+$/.test(f[7]!) || !/^\d+$/.test(f[9]!)) return undefined;
  return {
    family: local.family,
    localAddress: local.address,
    localPort: local.port,
    remoteAddress: remote.address,
    remotePort: remote.port,
    state: parseInt(f[3]!, 16),
    uid: Number(f[7]),
    inode: Number(f[9]),
  };
}

function parseEndpoint(text: string, endianness: Endianness): { family: Family; address: string; port: number } | undefined {
  const m = ENDPOINT.exec(text);
  if (!m) return undefined;
  const hex = m[1]!;
  const port = parseInt(m[2]!, 16);
  if (hex.length === 8) return { family: 4, address: bytes(hex, endianness).join('.'), port };
  const all: number[] = [];
  for (let i = 0; i < 32; i += 8) all.push(...bytes(hex.slice(i, i + 8), endianness));
  return { family: 6, address: formatIPv6(all), port };
}

/** The four network-order bytes of one 32-bit word printed in host order. */
function bytes(word: string, endianness: Endianness): number[] {
  const b = [0, 2, 4, 6].map((i) => parseInt(word.slice(i, i + 2), 16));
  return endianness === 'LE' ? b.reverse() : b;
}

/** RFC 5952 text: lower case, longest run of ≥2 zero groups as `::`, v4-mapped as `::ffff:a.b.c.d`. */
export function formatIPv6(b: number[]): string {
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return `::ffff:${b.slice(12).join('.')}`;
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((i) => (b[i]! << 8) | b[i + 1]!);
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { start: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.len < 2) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.len).join(':')}`;
}

/** `127.0.0.1:8080`, `[::]:8081`. */
export function formatEndpoint(family: Family, address: string, port: number): string {
  return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}
