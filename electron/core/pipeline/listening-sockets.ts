/**
 * The TCP sockets a container listens on, read from its /proc/net/tcp and /proc/net/tcp6 (the kernel's
 * own table, as `ss -ltn` reads it): no guessing from EXPOSE or from the image's settings.
 */
import type { ListeningSocket } from '../../contract';

/** The kernel's TCP_LISTEN state in the `st` column. */
const LISTEN = '0A';

/** An IPv4 address as the kernel writes it: one 32-bit word in host (little-endian) byte order. */
function ipv4(hex: string): string {
  const bytes = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return bytes.reverse().join('.');
}

/** An IPv6 address as the kernel writes it: four 32-bit words, each in host byte order. */
function ipv6(hex: string): string {
  const words = [0, 8, 16, 24].map((i) =>
    hex
      .slice(i, i + 8)
      .match(/../g)!
      .reverse()
      .join(''),
  );
  const joined = words.join('');
  if (/^0{20}ffff/i.test(joined)) return ipv4(words[3]!.match(/../g)!.reverse().join(''));
  const groups = joined.match(/.{4}/g)!.map((g) => Number.parseInt(g, 16).toString(16));
  const text = groups.join(':');
  // Shorten the longest run of zero groups, as addresses are usually written.
  const runs = [...text.matchAll(/(?:^|:)0(?::0)+(?::|$)/g)];
  const longest = runs.sort((a, b) => b[0].length - a[0].length)[0];
  return longest ? `${text.slice(0, longest.index)}::${text.slice(longest.index! + longest[0].length)}` : text;
}

/** The listening sockets in the text of /proc/net/tcp and/or /proc/net/tcp6 (header lines are skipped). */
export function parseListeningSockets(text: string): ListeningSocket[] {
  const found = new Map<string, ListeningSocket>();
  for (const line of text.split('\n')) {
    const columns = line.trim().split(/\s+/);
    const local = columns[1];
    if (!/^\d+:$/.test(columns[0] ?? '') || !local || columns[3] !== LISTEN) continue;
    const [addressHex, portHex] = local.split(':');
    if (!addressHex || !portHex) continue;
    const address = addressHex.length === 8 ? ipv4(addressHex) : addressHex.length === 32 ? ipv6(addressHex) : null;
    if (address === null) continue;
    const socket = { address, port: Number.parseInt(portHex, 16) };
    found.set(`${address}|${socket.port}`, socket);
  }
  return [...found.values()].sort((a, b) => a.port - b.port || a.address.localeCompare(b.address));
}

/** Whether a socket bound to `address` can be reached from outside the container (not loopback only). */
export function reachableFromOutside(address: string): boolean {
  return !(address.startsWith('127.') || address === '::1');
}
