/** The current time, ticking every `intervalMs`, so "5 minutes ago" stays true while a page stays open. */
export class Clock {
  now = $state(Date.now());

  readonly #timer: ReturnType<typeof setInterval>;

  constructor(intervalMs = 30_000) {
    this.#timer = setInterval(() => {
      this.now = Date.now();
    }, intervalMs);
  }

  dispose(): void {
    clearInterval(this.#timer);
  }
}
