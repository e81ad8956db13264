/**
 * Matches config history entries to layers: each history entry without `empty_layer` belongs to
 * the next layer, in order (what `docker history` and dive do).
 */
import type { HistoryEntry, ImageConfig } from '../image/index.js';

export function historyByLayer(config: ImageConfig, layerCount: number): Array<HistoryEntry | null> {
  const result: Array<HistoryEntry | null> = new Array(layerCount).fill(null);
  let layer = 0;
  for (const entry of config.history ?? []) {
    if (entry.empty_layer) continue;
    if (layer >= layerCount) break;
    result[layer++] = entry;
  }
  return result;
}
