/** A sleep that `wake()` ends early, so a worker loop can stop without waiting out its timer. */
export class Sleeper {
  private wakeUp: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        // An earlier sleep that ends late must not unhook a newer one.
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wakeUp = done;
    });
  }

  /** Ends the current sleep; a sleep abandoned for another only lets its timer run out. */
  wake(): void {
    this.wakeUp?.();
  }
}
