/** The path segments of a tar entry name, or null when the name is absolute, holds NUL or climbs with `..`. Pure. */
export function entrySegments(name: string): string[] | null {
  if (name.startsWith('/') || name.includes('\0') || name.includes('\\')) return null;
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  return segments.includes('..') ? null : segments;
}
