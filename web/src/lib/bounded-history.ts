/**
 * Ring buffer of the most recent items, oldest first. Appending to a full
 * history drops the oldest items, so memory stays bounded however long the
 * feed runs.
 */
export class BoundedHistory<T> {
  readonly capacity: number;
  private readonly slots: T[] = [];
  /** Index of the oldest item once the buffer has wrapped around. */
  private start = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Appends items in order and returns how many of the oldest were dropped. */
  push(items: readonly T[]): number {
    let dropped = 0;

    // Items that would be overwritten within this call are never stored.
    const firstKept = Math.max(0, items.length - this.capacity);
    dropped += firstKept;

    for (const item of items.slice(firstKept)) {
      if (this.slots.length < this.capacity) {
        this.slots.push(item);
      } else {
        this.slots[this.start] = item;
        this.start = (this.start + 1) % this.capacity;
        dropped += 1;
      }
    }
    return dropped;
  }

  /** Copies the items into a new array, oldest first. */
  toArray(): T[] {
    if (this.start === 0) {
      return this.slots.slice();
    }
    return this.slots.slice(this.start).concat(this.slots.slice(0, this.start));
  }
}
