import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Garbage (V8 heap and Buffers) allowed to pile up past what the last full collection left, before the next one. */
export const GARBAGE_HEADROOM_BYTES = 48 * 1024 * 1024;
/** Below this much heap and Buffers in all, nothing is collected early: an idle engine needs no help. */
export const COLLECT_FLOOR_BYTES = 96 * 1024 * 1024;
const CHECK_EVERY_MS = 100;

/**
 * Whether to ask for a full collection now: `inUse` (heap used + memory outside it) has grown past what the last full
 * collection left (`afterLast`) by more than the headroom, and past the floor.
 */
export function collectionDue(inUse: number, afterLast: number): boolean {
  return inUse > Math.max(COLLECT_FLOOR_BYTES, afterLast + GARBAGE_HEADROOM_BYTES);
}

/**
 * Keeps the engine's garbage bounded in bytes. A batch's raw messages, parsed bodies and request pieces live a few
 * hundred ms: long enough to be promoted out of the (capped, young-generation.ts) young generation, so only a full
 * collection frees them and the Buffers they hold. V8 starts one late for a process like this: when the old
 * generation has grown to up to 4 times what the last one kept (heap-controller.cc, MaxGrowingFactor), or memory
 * outside the heap by 64 MB (kExternalAllocationSoftLimit), and the two add up: at 20,000 POP3 messages the peak
 * was about 50 MB of heap and 65 MB of Buffers, most of it garbage. Here a full collection is asked for when heap
 * and Buffers together grew by GARBAGE_HEADROOM_BYTES since the last one and passed COLLECT_FLOOR_BYTES, and none
 * when idle. Each is an atomic mark-compact of the live 20–40 MB: with a 64 MB floor and 32 MB headroom they doubled
 * the full collections and cost the engine 0.5–1.0 s of CPU per 1,000 messages (bench/notes/ingest-limit.md), hence
 * the wider margins. `--heap-growing-percent` bounds the heap alone, and cost as much.
 * Returns the function that stops it, or null when the process was started with its own GC flags (then V8 decides).
 */
export function boundGarbage(execArgv: readonly string[], nodeOptions: string | undefined): (() => void) | null {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /^--(expose[-_]gc|heap[-_]growing[-_]percent)/.test(arg));
  if (given) return null;
  // The V8 gc extension, as jest-leak-detector gets it: the flag is read when a context is created.
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  v8.setFlagsFromString('--no-expose-gc');
  // The heap's own figures: process.memoryUsage() also reads the RSS from /proc, ten times the cost, every 100 ms.
  const inUse = () => {
    const heap = v8.getHeapStatistics();
    return heap.used_heap_size + heap.external_memory;
  };
  let afterLast = inUse();
  let collected = false;
  const timer = setInterval(() => {
    // Read a tick after the collection: V8 frees the Buffers of dead objects on a background thread after it.
    if (collected) {
      collected = false;
      afterLast = inUse();
      return;
    }
    if (!collectionDue(inUse(), afterLast)) return;
    gc();
    collected = true;
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

boundGarbage(process.execArgv, process.env.NODE_OPTIONS);
