// The daily API request allocation: every authenticated REST call counts; past the allocation
// calls get 403 REQUEST_LIMIT_EXCEEDED until the 24-hour window (on the emulator clock) rolls over.
import type { Clock } from './clock.js';
import { DAY_MS } from './time.js';

export class ApiUsage {
  used = 0;
  private windowStart: number;

  constructor(
    private readonly clock: Clock,
    public allocation: number,
  ) {
    this.windowStart = clock.now();
  }

  private roll(): void {
    const now = this.clock.now();
    if (now - this.windowStart >= DAY_MS || now < this.windowStart) {
      this.windowStart = now;
      this.used = 0;
    }
  }

  /** Counts one call; false when the allocation is already spent (the call is refused, not counted). */
  take(): boolean {
    this.roll();
    if (this.used >= this.allocation) return false;
    this.used++;
    return true;
  }

  header(): string {
    this.roll();
    return `api-usage=${this.used}/${this.allocation}`;
  }

  remaining(): number {
    this.roll();
    return Math.max(0, this.allocation - this.used);
  }

  reset(): void {
    this.used = 0;
    this.windowStart = this.clock.now();
  }
}
