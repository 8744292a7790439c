import { describe, expect, it } from 'vitest';
import { formatEndpoint, formatIPv6, parseLine, parseProcNetTcp, TCP_LISTEN } from '../../src/proc-net.js';
import { appListeners, DEFAULT_PROXY_UID, describeListener, PROXY_PORTS, ruleFor } from '../../src/wait-app-exit-listeners.js';

// Lines captured on Linux x86-64 (kernel format of tcp4_seq_show / tcp6_seq_show), in a private
// network namespace: node listeners on 127.0.0.1:8080, [::]:8081 (dual-stack), [::]:8082 (v6only),
// [::1]:8083, [::ffff:127.0.0.1]:8084, 0.0.0.0:15006, one uid-1000 listener on [::1]:9090, plus
// connections and a TIME_WAIT line.
const CAPTURED_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 00000000:3A9E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9157 1 00000000dc87bd10 100 0 0 10 0                      
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9154 1 00000000a6f27f3e 100 0 0 10 0                      
   2: 0100007F:1F90 0100007F:E4D0 01 00000000:00000000 00:00000000 00000000     0        0 9162 1 00000000f57e4175 20 0 0 10 -1                      
   3: 0100007F:E4D0 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 9160 2 000000004584674e 20 0 0 10 -1                      
   4: 0100007F:DFB0 0100007F:1F91 01 00000000:00000000 00:00000000 00000000     0        0 9161 2 00000000e8665389 20 0 0 10 -1                      
   5: 0100007F:1F90 0100007F:DCB8 06 00000000:00000000 03:000016FC 00000000     0        0 0 3 00000000f7bdac9b                                      
`;
const CAPTURED_TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:1F94 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9159 1 00000000b83ec6e2 100 0 0 10 0
   1: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9155 1 000000005a053cac 100 0 0 10 0
   2: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9156 1 00000000b261763d 100 0 0 10 0
   3: 00000000000000000000000001000000:1F93 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9158 1 000000009a3fe76e 100 0 0 10 0
   4: 0000000000000000FFFF00000100007F:1F91 0000000000000000FFFF00000100007F:DFB0 01 00000000:00000000 00:00000000 00000000     0        0 9163 1 0000000000531882 20 0 0 10 -1
   5: 00000000000000000000000001000000:2382 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 18698 1 000000001edcc6bb 100 0 0 10 0
`;

// The reference's empirical dump (envoy-admin-api.md §7.4, §7.1), its elided fields filled in.
const tail = '00000000:00000000 00:00000000 00000000     0        0';
const REFERENCE_LINES: [string, string, number, string, number, number, number][] = [
  // line, local address, local port, remote address, remote port, state, inode
  [`0:  0100007F:1F90 00000000:0000 0A ${tail} 17249 1 0000000000000000 100 0 0 10 0`, '127.0.0.1', 8080, '0.0.0.0', 0, 0x0a, 17249],
  [` 0: 00000000:3A9E 00000000:0000 0A ${tail} 17251 1 0000000000000000 100 0 0 10 0`, '0.0.0.0', 15006, '0.0.0.0', 0, 0x0a, 17251],
  [` 3: 0100007F:1F90 0100007F:BABE 01 ${tail} 17253 1 0000000000000000 20 0 0 10 -1`, '127.0.0.1', 8080, '127.0.0.1', 0xbabe, 0x01, 17253],
  [` 4: 0100007F:EE04 0100007F:1F91 01 ${tail} 17256 1 0000000000000000 20 0 0 10 -1`, '127.0.0.1', 0xee04, '127.0.0.1', 8081, 0x01, 17256],
  [` 0: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A ${tail} 17250 1 0 100 0 0 10 0`, '::', 8081, '::', 0, 0x0a, 17250],
  [` 1: 00000000000000000000000001000000:1F91 00000000000000000000000001000000:EE36 01 ${tail} 17255 1 0 20 0 0 10 -1`, '::1', 8081, '::1', 0xee36, 0x01, 17255],
  [` 3: 0000000000000000FFFF00000100007F:1F91 0000000000000000FFFF00000100007F:EE04 01 ${tail} 17257 1 0 20 0 0 10 -1`, '::ffff:127.0.0.1', 8081, '::ffff:127.0.0.1', 0xee04, 0x01, 17257],
];

describe('parseLine: the reference dump', () => {
  it.each(REFERENCE_LINES)('%s', (line, local, port, remote, rport, state, inode) => {
    expect(parseLine(line)).toMatchObject({ localAddress: local, localPort: port, remoteAddress: remote, remotePort: rport, state, uid: 0, inode });
  });
});

describe('parseProcNetTcp: captured files', () => {
  const v4 = parseProcNetTcp(CAPTURED_TCP);
  const v6 = parseProcNetTcp(CAPTURED_TCP6);

  it('skips the headers and reads every socket line', () => {
    expect(v4).toHaveLength(6);
    expect(v6).toHaveLength(6);
  });

  it.each([
    [0, 4, '0.0.0.0', 15006, 0x0a, 0],
    [1, 4, '127.0.0.1', 8080, 0x0a, 0],
    [2, 4, '127.0.0.1', 8080, 0x01, 0],
    [5, 4, '127.0.0.1', 8080, 0x06, 0],
  ])('tcp line %i → IPv%i %s:%i st %i uid %i', (i, family, address, port, state, uid) => {
    expect(v4[i]).toMatchObject({ family, localAddress: address, localPort: port, state, uid });
  });

  it.each([
    [0, '::ffff:127.0.0.1', 8084, 0x0a, 0],
    [1, '::', 8081, 0x0a, 0],
    [2, '::', 8082, 0x0a, 0],
    [3, '::1', 8083, 0x0a, 0],
    [4, '::ffff:127.0.0.1', 8081, 0x01, 0],
    [5, '::1', 9090, 0x0a, 1000],
  ])('tcp6 line %i → %s:%i st %i uid %i', (i, address, port, state, uid) => {
    expect(v6[i]).toMatchObject({ family: 6, localAddress: address, localPort: port, state, uid });
  });

  it('reads the TIME_WAIT line (inode 0, no owner)', () => {
    expect(v4[5]).toMatchObject({ state: 6, inode: 0, remotePort: 0xdcb8 });
  });
});

describe('parseLine: byte order and malformed input', () => {
  it('reads a big-endian host as printed', () => {
    expect(parseLine(`0: 7F000001:1F90 00000000:0000 0A ${tail} 1 1`, 'BE')).toMatchObject({ localAddress: '127.0.0.1', localPort: 8080 });
    expect(parseLine(`0: 00000000000000000000000000000001:1F90 ${'0'.repeat(32)}:0000 0A ${tail} 1 1`, 'BE')).toMatchObject({ localAddress: '::1' });
  });

  it.each([
    ['empty', ''],
    ['header', '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'],
    ['short', '0: 0100007F:1F90 00000000:0000 0A'],
    ['bad address', `0: 0100007G:1F90 00000000:0000 0A ${tail} 1 1`],
    ['mixed families', `0: 0100007F:1F90 ${'0'.repeat(32)}:0000 0A ${tail} 1 1`],
    ['bad state', `0: 0100007F:1F90 00000000:0000 ZZ ${tail} 1 1`],
    ['bad uid', `0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 root 0 1 1`],
    ['no sl', `0100007F:1F90 00000000:0000 0A ${tail} 1 1 2`],
  ])('skips %s', (_, line) => expect(parseLine(line)).toBeUndefined());
});

describe('formatIPv6', () => {
  const b = (...groups: number[]) => groups.flatMap((g) => [g >> 8, g & 0xff]);
  it.each([
    [b(0, 0, 0, 0, 0, 0, 0, 0), '::'],
    [b(0, 0, 0, 0, 0, 0, 0, 1), '::1'],
    [b(0xfe80, 0, 0, 0, 0x1, 0x2, 0x3, 0x4), 'fe80::1:2:3:4'],
    [b(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), '2001:db8::1:0:0:1'],
    [b(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), '2001:db8:0:1:1:1:1:1'],
    [b(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001), '::ffff:10.0.0.1'],
    [b(1, 0, 0, 2, 0, 0, 0, 3), '1:0:0:2::3'],
  ])('%j → %s', (bytes, text) => expect(formatIPv6(bytes)).toBe(text));

  it('brackets IPv6 endpoints', () => {
    expect(formatEndpoint(6, '::1', 80)).toBe('[::1]:80');
    expect(formatEndpoint(4, '10.0.0.1', 80)).toBe('10.0.0.1:80');
  });
});

describe('appListeners', () => {
  const all = [...parseProcNetTcp(CAPTURED_TCP), ...parseProcNetTcp(CAPTURED_TCP6)];
  const names = (rule: ReturnType<typeof ruleFor>) => appListeners(all, rule).map(describeListener);

  it('default: LISTEN only, not the proxy uid, not the proxy ports', () => {
    expect(names(ruleFor([], DEFAULT_PROXY_UID))).toEqual([
      '127.0.0.1:8080 (uid 0)',
      '[::ffff:127.0.0.1]:8084 (uid 0)',
      '[::]:8081 (uid 0)',
      '[::]:8082 (uid 0)',
      '[::1]:8083 (uid 0)',
      '[::1]:9090 (uid 1000)',
    ]);
  });

  it('ignores every listener of the proxy uid', () => {
    expect(names(ruleFor([], 0))).toEqual(['[::1]:9090 (uid 1000)']);
  });

  it('--port: exactly those ports, any owner, LISTEN only', () => {
    expect(names(ruleFor([8080, 15006, 9090], DEFAULT_PROXY_UID))).toEqual(['0.0.0.0:15006 (uid 0)', '127.0.0.1:8080 (uid 0)', '[::1]:9090 (uid 1000)']);
    expect(names(ruleFor([12345], 0))).toEqual([]);
  });

  it.each(PROXY_PORTS.map((p) => [p]))('proxy port %i never counts by default', (port) => {
    const line = `0: 00000000:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1`;
    const socket = parseLine(line)!;
    expect(socket).toMatchObject({ localPort: port, state: TCP_LISTEN, uid: 1000 });
    expect(appListeners([socket], ruleFor([], DEFAULT_PROXY_UID))).toEqual([]);
  });
});
