/** `WWW-Authenticate` challenges (RFC 7235): `Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`. */

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Every challenge in a header value (several may be comma-separated, or the header repeated). */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const challenges: Challenge[] = [];
  for (const value of values) {
    let rest = value.trim();
    let current: Challenge | null = null;
    while (rest.length > 0) {
      const name = TOKEN.exec(rest)?.[0];
      if (!name) break;
      rest = rest.slice(name.length).trimStart();
      if (rest.startsWith('=')) {
        rest = rest.slice(1).trimStart();
        let param: string;
        if (rest.startsWith('"')) {
          let end = 1;
          param = '';
          while (end < rest.length && rest[end] !== '"') {
            if (rest[end] === '\\' && end + 1 < rest.length) end++;
            param += rest[end];
            end++;
          }
          rest = rest.slice(end + 1);
        } else {
          param = TOKEN.exec(rest)?.[0] ?? '';
          rest = rest.slice(param.length);
        }
        if (current) current.params[name.toLowerCase()] = param;
      } else {
        current = { scheme: name.toLowerCase(), params: {} };
        challenges.push(current);
      }
      rest = rest.trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    }
  }
  return challenges;
}
