/** What becomes of one save: `latest` says whether it was still the last one asked for its key when it ended. */
export interface SaveOutcome {
  failed(error: unknown, latest: boolean): void;
  settled(latest: boolean): void;
}

/**
 * Saves grouped by key (a grid cell, a field): those of one key run one after another, in the order asked, so the
 * last one asked is the last one stored; keys do not wait for each other. Plain TypeScript, no Svelte, no network.
 */
export class OrderedSaves {
  #queues = new Map<string, Promise<void>>();
  #latest = new Map<string, number>();
  #sequence = 0;

  /** Runs `save` once the key's earlier saves are done; resolves when it has, whatever the outcome. */
  run(key: string, save: () => Promise<void>, outcome: SaveOutcome): Promise<void> {
    const sequence = ++this.#sequence;
    this.#latest.set(key, sequence);
    const isLatest = () => this.#latest.get(key) === sequence;
    const done = (this.#queues.get(key) ?? Promise.resolve()).then(async () => {
      try {
        await save();
      } catch (error) {
        outcome.failed(error, isLatest());
      } finally {
        outcome.settled(isLatest());
      }
    });
    this.#queues.set(key, done);
    return done;
  }
}
