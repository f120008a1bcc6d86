// Per-key debouncing: a burst of changes to one file (keystrokes, a watcher's events) does the work
// once, after the burst, while other files' waits go on undisturbed. No `vscode` in here: a plain
// dispose() is enough for the owner's list of disposables.

/** Runs the latest callback of a key once nothing was scheduled for that key for a delay. */
export class KeyedDebouncer {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Runs `run` after `delayMs`, replacing (and restarting the wait of) what waits for `key`. */
  schedule(key: string, delayMs: number, run: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        run();
      }, delayMs),
    );
  }

  /** Drops what waits for `key`, if anything. */
  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(key);
  }

  /** Drops everything that waits: nothing runs after the owner is gone. */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
