/**
 * A faithful model of dive's per-layer file trees (dive/filetree/file_tree.go, file_node.go):
 * what nodes exist, what size and directory flag each carries, and the orders dive visits
 * them in, so that efficiency figures match dive to the last byte, quirks included:
 *  - intermediate nodes created for a path carry an empty FileInfo (size 0, not a directory);
 *  - a new path component starting with `.wh..wh..` stops AddPath (opaque markers never enter);
 *  - a node whose name starts with `.wh.` is a whiteout, its path drops that prefix;
 *  - Stack applies an upper tree over a lower one: whiteouts remove, others replace payloads.
 * All walks are iterative.
 */
import { sortBytewise } from './paths.js';

export interface DiveNode {
  name: string;
  parent: DiveNode | null;
  children: Map<string, DiveNode>;
  size: number;
  isDir: boolean;
}

export const DIVE_WHITEOUT_PREFIX = '.wh.';
const DOUBLE_WHITEOUT_PREFIX = '.wh..wh..';

export function newDiveRoot(): DiveNode {
  return { name: '', parent: null, children: new Map(), size: 0, isDir: false };
}

/** FileTree.AddPath: creates missing components with empty payloads, then sets the last one's payload. */
export function addPath(root: DiveNode, path: string, size: number, isDir: boolean): void {
  const names = path.split('/').filter((name) => name !== '');
  let node = root;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let child = node.children.get(name);
    if (!child) {
      if (name.startsWith(DOUBLE_WHITEOUT_PREFIX)) return;
      child = { name, parent: node, children: new Map(), size: 0, isDir: false };
      node.children.set(name, child);
    }
    node = child;
    if (i === names.length - 1) {
      node.size = size;
      node.isDir = isDir;
    }
  }
}

/** FileTree.GetNode. */
export function getNode(root: DiveNode, path: string): DiveNode | undefined {
  let node: DiveNode | undefined = root;
  for (const name of path.split('/')) {
    if (name === '') continue;
    node = node.children.get(name);
    if (!node) return undefined;
  }
  return node;
}

export function isWhiteoutNode(node: DiveNode): boolean {
  return node.name.startsWith(DIVE_WHITEOUT_PREFIX);
}

/** FileNode.Path: the names from the root, the node's own `.wh.` prefix dropped. */
export function nodePath(node: DiveNode): string {
  const names: string[] = [];
  for (let current: DiveNode | null = node; current?.parent; current = current.parent) {
    names.push(current === node && isWhiteoutNode(current) ? current.name.slice(DIVE_WHITEOUT_PREFIX.length) : current.name);
  }
  return ('/' + names.reverse().join('/')).replaceAll('//', '/');
}

/**
 * FileNode.VisitDepthChildFirst from the root: children in byte order, each subtree before its
 * parent, the root itself never visited. `visit` returning false aborts the walk (a visitor error).
 */
export function visitChildFirst(root: DiveNode, visit: (node: DiveNode) => boolean): void {
  const stack: Array<{ node: DiveNode; children: DiveNode[]; next: number }> = [{ node: root, children: sortedChildren(root), next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const child = frame.children[frame.next++];
    if (child) {
      stack.push({ node: child, children: sortedChildren(child), next: 0 });
      continue;
    }
    stack.pop();
    if (frame.node !== root && !visit(frame.node)) return;
  }
}

/** Σ sizes of `node` and everything below it (the whiteout-of-a-directory sizer). */
export function subtreeSize(node: DiveNode): number {
  let total = 0;
  const stack = [node];
  for (let current = stack.pop(); current; current = stack.pop()) {
    total += current.size;
    for (const child of current.children.values()) stack.push(child);
  }
  return total;
}

/** FileTree.Copy (payloads and shape; dive's parent-pointer side effect does not change any path). */
export function copyTree(root: DiveNode): DiveNode {
  const copy = newDiveRoot();
  const stack: Array<[DiveNode, DiveNode]> = [[root, copy]];
  for (let pair = stack.pop(); pair; pair = stack.pop()) {
    const [from, to] = pair;
    for (const [name, child] of from.children) {
      const twin: DiveNode = { name, parent: to, children: new Map(), size: child.size, isDir: child.isDir };
      to.children.set(name, twin);
      stack.push([child, twin]);
    }
  }
  return copy;
}

/** FileTree.Stack: whiteouts remove their target (a missing one is only logged), others are added. */
export function stackTree(lower: DiveNode, upper: DiveNode): void {
  visitChildFirst(upper, (node) => {
    const path = nodePath(node);
    if (isWhiteoutNode(node)) {
      const target = getNode(lower, path);
      if (target?.parent) target.parent.children.delete(target.name);
    } else {
      addPath(lower, path, node.size, node.isDir);
    }
    return true;
  });
}

function sortedChildren(node: DiveNode): DiveNode[] {
  if (node.children.size === 0) return [];
  return sortBytewise([...node.children.keys()]).map((name) => node.children.get(name)!);
}
