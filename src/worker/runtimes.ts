// The runtimes a worker holds, one per connection it has had a job of: `default` is the one the
// command opened; another is opened on its first job from the registry (composition/connections.ts)
// and kept, with its engine, for the next.
import { openRuntime, type Runtime } from '../composition/runtime.js';
import { connectionConfig, listConnectionRows } from '../composition/connections.js';
import { DEFAULT_CONNECTION } from './queues.js';

export class ConnectionRuntimes {
  private readonly open = new Map<string, Promise<Runtime>>();
  private readonly resolved = new Map<string, Runtime>();

  constructor(private readonly base: Runtime) {
    this.open.set(DEFAULT_CONNECTION, Promise.resolve(base));
    this.resolved.set(DEFAULT_CONNECTION, base);
  }

  get(name: string): Promise<Runtime> {
    let rt = this.open.get(name);
    if (!rt) {
      rt = connectionConfig(this.base.config, name).then(async (cfg) => {
        const opened = await openRuntime(cfg);
        this.resolved.set(name, opened);
        return opened;
      });
      // A failed open is not kept: the job's retry tries again (the registry may have it by then).
      rt.catch(() => this.open.delete(name));
      this.open.set(name, rt);
    }
    return rt;
  }

  async names(): Promise<string[]> {
    return [DEFAULT_CONNECTION, ...(await listConnectionRows(this.base.config)).map((r) => r.name)];
  }

  /** The runtimes opened so far (for /metrics: a connection without a job here has no reading). */
  opened(): [string, Runtime][] {
    return [...this.resolved];
  }

  async close(): Promise<void> {
    for (const [name, p] of this.open) {
      if (name === DEFAULT_CONNECTION) continue;
      await p.then((rt) => rt.close()).catch(() => undefined);
    }
  }
}
