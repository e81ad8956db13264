/** `sha256:` plus the first 12 hex digits, as `docker images` shows them (for messages and views). */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon < 0 ? digest.slice(0, 12) : digest.slice(0, colon + 13);
}
