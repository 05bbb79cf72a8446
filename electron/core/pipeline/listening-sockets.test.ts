import { describe, expect, it } from 'vitest';
import { parseListeningSockets, reachableFromOutside } from './listening-sockets';

// Lines in the kernel's format (the header, then `sl: local remote st ...`), as /proc/net/tcp{,6} print them.
const TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1145 1 0 100 0 0 10 0',
  '   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1146 1 0 100 0 0 10 0',
  '   2: 020011AC:0BB8 010011AC:D25C 01 00000000:00000000 00:00000000 00000000  1000        0 0 3 0',
].join('\n');
const TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue',
  '   0: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000',
  '   1: 00000000000000000000000001000000:2328 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000',
  '   2: 0000000000000000FFFF00000100007F:2329 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000',
].join('\n');

describe('parseListeningSockets', () => {
  it('reads listening IPv4 sockets and skips established ones and the header', () => {
    expect(parseListeningSockets(TCP)).toEqual([
      { address: '0.0.0.0', port: 3000 },
      { address: '127.0.0.1', port: 8080 },
    ]);
  });

  it('reads IPv6 sockets, the any address, loopback and IPv4-mapped ones', () => {
    expect(parseListeningSockets(TCP6)).toEqual([
      { address: '::', port: 5000 },
      { address: '::1', port: 9000 },
      { address: '127.0.0.1', port: 9001 },
    ]);
  });

  it('reads both files at once and ignores lines that are not table rows', () => {
    expect(parseListeningSockets(`${TCP}\ngarbage\n\n${TCP6}`).map((s) => s.port)).toEqual([
      3000, 5000, 8080, 9000, 9001,
    ]);
  });

  it('tells loopback-only sockets from reachable ones', () => {
    expect(reachableFromOutside('127.0.0.1')).toBe(false);
    expect(reachableFromOutside('::1')).toBe(false);
    expect(reachableFromOutside('0.0.0.0')).toBe(true);
    expect(reachableFromOutside('::')).toBe(true);
  });
});
