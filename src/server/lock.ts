// One writer at a time inside this process: the sync loop's passes, the UI's "resync" actions and
// the setup/settings writes that invalidate the engine's context run one after another, so a
// resync never interleaves with a pass writing the same deal (the import has its own lease and
// is safe next to the sync by design, see src/engine/import/run.ts).
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
