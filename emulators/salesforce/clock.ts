// The emulator's clock: real time shifted by an offset, or frozen at a point. Tests move it
// through the admin API to age tokens, leave getUpdated/getDeleted windows and reset daily limits.

export class Clock {
  private offset = 0;
  private frozenAt: number | undefined;

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }

  /**
   * The time a write stamps on CreatedDate, LastModifiedDate and SystemModstamp: whole seconds.
   * Salesforce's datetimes come back as `…:SS.000+0000` and SOQL compares them to the second
   * (docs/emulators.md), so a stamp with milliseconds would make rows in the cursor's own second
   * look newer than a whole-second literal and be read again by every pass.
   */
  stampNow(): number {
    return Math.floor(this.now() / 1000) * 1000;
  }

  /** Sets the current time; with freeze, time stands still until the next set/advance/unfreeze. */
  set(ms: number, freeze = false): void {
    if (freeze) {
      this.frozenAt = ms;
    } else {
      this.frozenAt = undefined;
      this.offset = ms - Date.now();
    }
  }

  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
  }

  unfreeze(): void {
    if (this.frozenAt !== undefined) this.set(this.frozenAt, false);
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }
}
