import { describe, expect, it } from 'vitest';

import { BoundedHistory } from './bounded-history';

describe('BoundedHistory', () => {
  it('keeps items in arrival order below the limit', () => {
    const history = new BoundedHistory<number>(5);

    const dropped = history.push([1, 2, 3]);

    expect(dropped).toBe(0);
    expect(history.size).toBe(3);
    expect(history.toArray()).toEqual([1, 2, 3]);
  });

  it('drops the oldest items past the limit', () => {
    const history = new BoundedHistory<number>(3);
    history.push([1, 2]);

    const dropped = history.push([3, 4, 5]);

    expect(dropped).toBe(2);
    expect(history.size).toBe(3);
    expect(history.toArray()).toEqual([3, 4, 5]);
  });

  it('keeps the newest items of a batch larger than the limit', () => {
    const history = new BoundedHistory<number>(3);
    history.push([1]);

    const dropped = history.push([2, 3, 4, 5, 6]);

    expect(dropped).toBe(3);
    expect(history.toArray()).toEqual([4, 5, 6]);
  });

  it('stays ordered across many wrap-arounds', () => {
    const history = new BoundedHistory<number>(4);
    for (let item = 1; item <= 23; item += 1) {
      history.push([item]);
    }

    expect(history.size).toBe(4);
    expect(history.toArray()).toEqual([20, 21, 22, 23]);
  });

  it('returns a copy that later pushes leave unchanged', () => {
    const history = new BoundedHistory<number>(2);
    history.push([1, 2]);
    const snapshot = history.toArray();

    history.push([3]);

    expect(snapshot).toEqual([1, 2]);
    expect(history.toArray()).toEqual([2, 3]);
  });

  it('holds 50,000 readings at most', () => {
    const history = new BoundedHistory<number>(50_000);
    const batch = Array.from({ length: 1_000 }, (_, index) => index);
    for (let round = 0; round < 60; round += 1) {
      history.push(batch.map((index) => round * 1_000 + index));
    }

    const items = history.toArray();
    expect(items).toHaveLength(50_000);
    expect(items[0]).toBe(10_000);
    expect(items[items.length - 1]).toBe(59_999);
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects the capacity %d', (capacity) => {
    expect(() => new BoundedHistory<number>(capacity)).toThrow(
      `history capacity must be a positive integer, got ${capacity}`,
    );
  });
});
