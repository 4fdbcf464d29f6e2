// The soak's faults, overlapping, through the emulators' admin APIs (`/__emulator/faults`, `limits`,
// `tokens/expire`); docs/soak.md lists them with what each stands for.
//   HubSpot: 429s beyond what pacing avoids (0.3 %), 2 % 5xx, 1–5 s delays, and the deal batch-archive
//   endpoint rejecting whole batches for a minute (what the deletes of issue #17 §5 met).
//   Salesforce: every token expired every 2 minutes (less in short runs), 1 % 503 on the data routes,
//   query cursors expiring (INVALID_QUERY_LOCATOR on queryMore), the daily allocation spent for a minute.
import { http } from './emulators.js';

export interface FaultPlan {
  /** Length of the load phase, ms. */
  loadMs: number;
  /** When (ms into the load) the HubSpot batch outage and the spent allocation start. */
  batchOutageAt: number;
  allocationSpentAt: number;
  outageMs: number;
  tokenExpiryEveryMs: number;
}

const SF_DATA_ROUTES = [
  'query',
  'queryAll',
  'queryMore',
  'composite.retrieve',
  'sobject.updated',
  'sobject.deleted',
  'limits',
];

export class SoakFaults {
  private timers: NodeJS.Timeout[] = [];
  readonly log: string[] = [];
  private savedUsage: number | undefined;
  private readonly t0 = Date.now();

  constructor(
    private readonly sfUrl: string,
    private readonly hsUrl: string,
    private readonly allocation: number,
  ) {}

  private note(what: string): void {
    this.log.push(`${((Date.now() - this.t0) / 1000).toFixed(0)}s ${what}`);
  }

  private later(ms: number, fn: () => Promise<void>): void {
    this.timers.push(
      setTimeout(() => void fn().catch((e: Error) => this.note(`fault error: ${e.message}`)), ms),
    );
  }

  async start(plan: FaultPlan): Promise<void> {
    const hs = (body: unknown) => http('POST', `${this.hsUrl}/__emulator/faults`, body);
    await hs({ path: '/crm/*', status: 429, probability: 0.003 });
    await hs({ path: '/crm/*', status: 500, probability: 0.01 });
    await hs({ path: '/crm/*', status: 503, probability: 0.01 });
    await hs({ path: '/crm/*', delayMs: 1000, probability: 0.01 });
    await hs({ path: '/crm/*', delayMs: 3000, probability: 0.004 });
    await hs({ path: '/crm/*', delayMs: 5000, probability: 0.002 });
    const sf = (body: unknown) => http('POST', `${this.sfUrl}/__emulator/faults`, body);
    await sf({
      faults: SF_DATA_ROUTES.map((route) => ({ route, status: 503, probability: 0.01 })),
    });
    await sf({
      route: 'queryMore',
      status: 400,
      body: [{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }],
      probability: 0.2,
    });
    this.note(
      'faults on: HubSpot 0.3 % 429, 2 % 5xx, 1–5 s delays; Salesforce 1 % 503, expiring query cursors',
    );

    const expire = async () => {
      await http('POST', `${this.sfUrl}/__emulator/tokens/expire`);
      this.note('Salesforce tokens expired');
    };
    const every = setInterval(() => void expire().catch(() => undefined), plan.tokenExpiryEveryMs);
    this.timers.push(every);

    this.later(plan.batchOutageAt, async () => {
      const f = (await hs({
        path: '/crm/v3/objects/deals/batch/archive',
        status: 400,
        body: {
          status: 'error',
          message: 'Batch rejected (emulated outage of the batch endpoint)',
          category: 'VALIDATION_ERROR',
          correlationId: 'soak-batch-outage',
        },
      })) as { id: string };
      this.note('HubSpot deals/batch/archive rejects every batch');
      this.later(plan.outageMs, async () => {
        await http('DELETE', `${this.hsUrl}/__emulator/faults/${f.id}`);
        this.note('HubSpot deals/batch/archive back');
      });
    });
    this.later(plan.allocationSpentAt, async () => {
      const now = await http<{ used: number }>('GET', `${this.sfUrl}/__emulator/limits`);
      this.savedUsage = now.used;
      await http('POST', `${this.sfUrl}/__emulator/limits`, { used: this.allocation });
      this.note('Salesforce daily allocation spent');
      this.later(plan.outageMs, async () => this.restoreAllocation());
    });
  }

  private async restoreAllocation(): Promise<void> {
    if (this.savedUsage === undefined) return;
    await http('POST', `${this.sfUrl}/__emulator/limits`, { used: this.savedUsage });
    this.savedUsage = undefined;
    this.note('Salesforce daily allocation back');
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await http('DELETE', `${this.hsUrl}/__emulator/faults`);
    await http('DELETE', `${this.sfUrl}/__emulator/faults`);
    await this.restoreAllocation();
    this.note('faults off');
  }
}
