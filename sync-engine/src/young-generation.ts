import v8 from 'node:v8';
import { PerformanceObserver } from 'node:perf_hooks';

/** The young generation's ceiling: two semi-spaces of 2 MB (V8's default lets them grow to 16 MB each). */
export const YOUNG_GENERATION_CAP_BYTES = 2 * 2 * 1024 * 1024;

/**
 * Keeps V8's young generation (new space) at about YOUNG_GENERATION_CAP_BYTES instead of letting it grow to 2 × 16 MB.
 * The engine allocates fast (MIME parsing, the JSON of trackEmails batches) and keeps little of it: a larger young
 * generation only turns into resident memory (about 30 MB of the engine's peak), and a thousand idle push connections
 * grow it just the same; parsing is no slower with 2 MB semi-spaces. Done in the engine's own entry, so every way of
 * starting it (npm start, the Docker image, the hub's launcher, tests) gets it. `--max-semi-space-size` is read only
 * when the heap is made, so from here growth is switched off once the new space reaches the cap (and on again if V8
 * shrank it): V8 reads the growth factor each time it considers growing, after a scavenge. A semi-space flag on the
 * command line or in NODE_OPTIONS wins: then nothing is changed.
 * Returns the function that stops watching, or null when a flag was given.
 */
export function capYoungGeneration(execArgv: readonly string[], nodeOptions: string | undefined): (() => void) | null {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /^--(max|min)[-_]semi[-_]space[-_]size|^--semi[-_]space[-_]growth[-_]factor/.test(arg));
  if (given) return null;
  let growing = true;
  const adjust = (): void => {
    const size = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
    const grow = size < YOUNG_GENERATION_CAP_BYTES;
    if (grow === growing) return;
    growing = grow;
    v8.setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`);
  };
  // Told after each garbage collection, so growth stops within a step of the cap.
  const observer = new PerformanceObserver(adjust);
  observer.observe({ entryTypes: ['gc'] });
  adjust();
  return () => observer.disconnect();
}

capYoungGeneration(process.execArgv, process.env.NODE_OPTIONS);
