import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { capYoungGeneration, YOUNG_GENERATION_CAP_BYTES } from './young-generation.js';

const newSpace = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;

describe('capYoungGeneration', () => {
  it('leaves V8 alone when a semi-space flag was given on the command line or in NODE_OPTIONS', () => {
    expect(capYoungGeneration(['--max-semi-space-size=8'], undefined)).toBeNull();
    expect(capYoungGeneration([], '--inspect --min_semi_space_size=4')).toBeNull();
    expect(capYoungGeneration([], '--semi-space-growth-factor=2')).toBeNull();
  });

  it('stops the new space growing much past the cap under a high allocation rate', async () => {
    const stop = capYoungGeneration([], '--max-old-space-size=512');
    expect(stop).toBeTypeOf('function');
    try {
      // Objects that live a little while (as a batch of parsed mail does) make V8 grow the new space.
      for (let round = 0; round < 20; round++) {
        let keep: object[] = [];
        for (let i = 0; i < 200_000; i++) {
          keep.push({ i, text: `message ${i}` });
          if (keep.length > 50_000) keep = [];
        }
        await new Promise((resolve) => setImmediate(resolve)); // the GC observer is told between turns
      }
      // One doubling past the cap at most: the observer runs after the scavenge that grew it.
      expect(newSpace()).toBeLessThanOrEqual(2 * YOUNG_GENERATION_CAP_BYTES);
    } finally {
      stop?.();
    }
  });
});
