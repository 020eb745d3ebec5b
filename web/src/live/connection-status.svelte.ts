import type { LiveClient, LiveStatus } from './live-client';

/** The live connection's status as reactive state, for the header badge and pages that fall back to polling. */
export class ConnectionStatus {
  value = $state<LiveStatus>('idle');

  readonly #stop: () => void;

  constructor(client: LiveClient) {
    this.value = client.status;
    this.#stop = client.onStatus((status) => {
      this.value = status;
    });
  }

  get live(): boolean {
    return this.value === 'live';
  }

  dispose(): void {
    this.#stop();
  }
}
