/**
 * dive's image efficiency (dive/filetree/efficiency.go, dive/image/analysis.go), reproduced
 * exactly. For every leaf of every layer's tree, in dive's visiting order, the path's size in
 * that layer is added to the path's cumulative size and its smallest size is kept. A whiteout
 * leaf is sized from the layers below (a directory: its whole subtree there; anything else: 0).
 * score = Σ smallest / Σ cumulative (1 when nothing was seen); wasted bytes = Σ cumulative
 * of the paths seen more than once; user wasted percent = wasted / bytes of layers 1..n-1.
 * See docs/decisions/fs.md for every edge case, dive's quirks included.
 */
import {
  addPath,
  copyTree,
  getNode,
  isWhiteoutNode,
  newDiveRoot,
  nodePath,
  stackTree,
  subtreeSize,
  visitChildFirst,
  type DiveNode,
} from './_dive-tree.js';
import { goSort } from './_go-sort.js';
import type { DiveEfficiency, LayerEntries } from './types.js';
import { whiteoutMarkerPath } from './whiteout.js';

interface PathData {
  path: string;
  count: number;
  cumulativeSize: number;
  /** -1 until a size is seen (dive's minDiscoveredSize). */
  smallest: number;
}

export interface EfficiencyOptions {
  /** Keep only this many entries of `topWasted` (all by default, as dive's CI report lists them). */
  limit?: number;
}

export function computeEfficiency(layers: LayerEntries[], options: EfficiencyOptions = {}): DiveEfficiency {
  const trees = layers.map(layerTree);
  const paths = new Map<string, PathData>();
  const inefficient: PathData[] = [];
  const lower = new LowerTrees(trees.map((tree) => tree.root));

  trees.forEach((tree, index) => {
    visitChildFirst(tree.root, (node) => {
      if (node.children.size > 0) return true; // dive only visits leaves
      const path = nodePath(node);
      let data = paths.get(path);
      if (!data) {
        data = { path, count: 0, cumulativeSize: 0, smallest: -1 };
        paths.set(path, data);
      }
      let size = node.size;
      if (isWhiteoutNode(node)) {
        const previous = getNode(lower.below(index), path);
        // dive's visitor returns "path does not exist" here, which ends this layer's walk.
        if (!previous) return false;
        size = previous.isDir ? subtreeSize(previous) : 0;
      }
      data.cumulativeSize += size;
      if (data.smallest < 0 || size < data.smallest) data.smallest = size;
      if (++data.count === 2) inefficient.push(data);
      return true;
    });
  });

  let smallestTotal = 0;
  let cumulativeTotal = 0;
  for (const data of paths.values()) {
    smallestTotal += data.smallest;
    cumulativeTotal += data.cumulativeSize;
  }
  const score = cumulativeTotal === 0 ? 1 : smallestTotal / cumulativeTotal;

  goSort(inefficient, (a, b) => a.cumulativeSize < b.cumulativeSize);
  inefficient.reverse(); // dive's CI and export read the ascending slice from its end
  const wastedBytes = inefficient.reduce((sum, data) => sum + data.cumulativeSize, 0);
  const userBytes = trees.slice(1).reduce((sum, tree) => sum + tree.size, 0);
  // dive divides by zero here (NaN or +Inf); JSON cannot carry either, so 0.
  const userWastedPercent = userBytes === 0 ? 0 : wastedBytes / userBytes;
  const top = options.limit === undefined ? inefficient : inefficient.slice(0, options.limit);

  return {
    score,
    wastedBytes,
    userWastedPercent,
    topWasted: top.map(({ path, count, cumulativeSize }) => ({ path, count, cumulativeSize })),
  };
}

/** A layer as dive reads it: names cleaned, `.` skipped, whiteouts under their `.wh.` names. */
function layerTree(layer: LayerEntries): { root: DiveNode; size: number } {
  const root = newDiveRoot();
  let size = 0;
  for (const entry of layer.entries) {
    if (entry.path === '/' && entry.type !== 'whiteout' && entry.type !== 'opaque') continue;
    size += entry.size;
    addPath(root, whiteoutMarkerPath(entry), entry.size, entry.type === 'directory');
  }
  return { root, size };
}

/**
 * The stacked trees dive sizes whiteouts against (StackTreeRange(trees, 0, i-1)): for the first
 * layer a copy of itself; for layer i a copy of layer 0 with layers 0..i-1 stacked on it. Built
 * incrementally, once, and only when a whiteout asks.
 */
class LowerTrees {
  private stacked: DiveNode | undefined;
  private through = -1;

  constructor(private readonly trees: DiveNode[]) {}

  below(index: number): DiveNode {
    if (index === 0) return this.trees[0]!;
    this.stacked ??= copyTree(this.trees[0]!);
    while (this.through < index - 1) stackTree(this.stacked, this.trees[++this.through]!);
    return this.stacked;
  }
}
