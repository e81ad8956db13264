/** Path names joined as an absolute path, `.` and empty names dropped and `..` folded (clamped at `/`): `/a/./b//c/../d` → `/a/b/d`. */
export function lexicalPath(names: readonly string[]): string {
  const parts: string[] = [];
  for (const name of names) {
    if (name === '' || name === '.') continue;
    if (name === '..') parts.pop();
    else parts.push(name);
  }
  return `/${parts.join('/')}`;
}
