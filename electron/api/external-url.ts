/**
 * Which links Berth hands to the system browser. Parsed with the URL standard, never by string prefix:
 * only absolute http: and https: URLs with a host, written with their `//` authority, and without
 * credentials, whitespace or control characters.
 */
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

export function vetExternalUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length > 4096 || WHITESPACE_OR_CONTROL.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw); // no base: relative URLs throw
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  // `http:evil` and `http:\\evil` parse as http://evil/; a link meant for the browser spells its authority.
  if (raw.slice(url.protocol.length, url.protocol.length + 2) !== '//') return null;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url;
}
