import type { ReadingFeature } from './features';

/** Changes that turn one feature list into another, as MapLibre's `updateData` takes them. */
export interface FeatureDiff {
  add: ReadingFeature[];
  remove: number[];
}

/**
 * Compares two feature lists that are both sorted by ascending id, as
 * features built from the held readings are. Runs in one pass over both.
 */
export function diffFeatures(previous: readonly ReadingFeature[], next: readonly ReadingFeature[]): FeatureDiff {
  const add: ReadingFeature[] = [];
  const remove: number[] = [];
  let previousIndex = 0;
  let nextIndex = 0;

  while (previousIndex < previous.length || nextIndex < next.length) {
    const before = previous[previousIndex];
    const after = next[nextIndex];
    if (after === undefined || (before !== undefined && before.id < after.id)) {
      if (before !== undefined) {
        remove.push(before.id);
      }
      previousIndex += 1;
    } else if (before === undefined || after.id < before.id) {
      add.push(after);
      nextIndex += 1;
    } else {
      previousIndex += 1;
      nextIndex += 1;
    }
  }
  return { add, remove };
}
