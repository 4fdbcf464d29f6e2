// A map from record id to T that keeps the common case — ids handed out in ascending order —
// in a plain array (index = id - base) instead of a hash table. At a million records this is
// several times cheaper to fill and to look up than a Map, and gives the GC one array to trace
// instead of a hash table's buckets. Ids far outside the dense window (hand-written data files,
// huge gaps) go to an ordinary Map, so any id still works.
const MAX_GAP = 4096;

export class IdMap<T> {
  private slots: (T | undefined)[] = [];
  private base = -1;
  private readonly sparse = new Map<number, T>();
  size = 0;

  get(id: number): T | undefined {
    const i = id - this.base;
    if (this.base >= 0 && i >= 0 && i < this.slots.length) return this.slots[i];
    return this.sparse.size ? this.sparse.get(id) : undefined;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, value: T): void {
    if (this.base < 0 && this.size === 0 && Number.isSafeInteger(id) && id >= 0) this.base = id;
    const i = id - this.base;
    if (this.base >= 0 && Number.isSafeInteger(id) && i >= 0 && i < this.slots.length + MAX_GAP) {
      if (i < this.slots.length) {
        if (this.slots[i] === undefined) this.size++;
        this.slots[i] = value;
        return;
      }
      while (this.slots.length < i) this.slots.push(undefined);
      this.slots.push(value);
      this.size++;
      return;
    }
    if (!this.sparse.has(id)) this.size++;
    this.sparse.set(id, value);
  }

  /** Make ids first … first+count-1 dense (bulk generation fills them in any order later). */
  reserve(first: number, count: number): void {
    if (this.base < 0 && this.size === 0) this.base = first;
    const end = first + count - this.base;
    if (first < this.base || first - this.base > this.slots.length + MAX_GAP) return;
    while (this.slots.length < end) this.slots.push(undefined);
  }

  delete(id: number): boolean {
    const i = id - this.base;
    if (this.base >= 0 && i >= 0 && i < this.slots.length) {
      if (this.slots[i] === undefined) return false;
      this.slots[i] = undefined;
      this.size--;
      return true;
    }
    const had = this.sparse.delete(id);
    if (had) this.size--;
    return had;
  }

  clear(): void {
    this.slots = [];
    this.base = -1;
    this.sparse.clear();
    this.size = 0;
  }

  /** Dense ids ascending, then the others in insertion order. */
  *values(): IterableIterator<T> {
    for (const v of this.slots) if (v !== undefined) yield v;
    yield* this.sparse.values();
  }

  *entries(): IterableIterator<[number, T]> {
    for (let i = 0; i < this.slots.length; i++) {
      const v = this.slots[i];
      if (v !== undefined) yield [this.base + i, v];
    }
    yield* this.sparse.entries();
  }
}
