// `startServer`: the web UI and its API on one Fastify server, and — unless sync is false — the
// sync loop (the engine's runSyncLoop, as `dealbridge sync`), whose passes share a lock with the
// UI's writes. Used by `dealbridge serve` and by the sandbox.
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import { createLogger, type LogFormat } from '../ops/log.js';
import { createMetrics } from '../ops/metrics.js';
import { logPass, passLogger } from '../ops/pass-log.js';
import type { Runtime } from '../composition/runtime.js';
import { runLiveSync } from '../engine/cdc/live-sync.js';
import type { PassResult } from '../engine/sync/pass.js';
import { buildServer } from './app.js';
import type { ServerContext, SyncLoopState } from './context.js';
import { ImportJobs } from './import-jobs.js';
import { LiveHub } from './live.js';
import { SerialLock } from './lock.js';
import { publicError, secretsOf } from './redact.js';
import { RemoteFacts } from './remote-facts.js';
import { registerApi } from './routes/index.js';

export interface StartServerOptions {
  runtime: Runtime;
  host: string;
  port: number;
  adminToken: string;
  /** Run the sync loop in this process. */
  sync: boolean;
  /** Built web UI; default web/dist of this package. */
  webRoot?: string;
  /** Between sync passes (default 5 s, as `dealbridge sync`). */
  intervalMs?: number;
  /** Called after every pass of the sync loop (the sandbox prints a summary line). */
  onPass?: (r: PassResult) => void;
  /** Log requests (secrets redacted) too; security events and sync-loop errors are always logged. */
  logger?: boolean;
  /** Where log lines go (JSON, one per line); default stderr. */
  logStream?: { write(line: string): unknown };
  /** Config `log.format` (DEALBRIDGE_LOG_FORMAT); unset: pretty on a terminal, else JSON. */
  logFormat?: LogFormat | undefined;
  /** Config `log.level` (DEALBRIDGE_LOG_LEVEL), default info. */
  logLevel?: string;
}

export interface RunningServer {
  url: string;
  /** A one-time link that logs a browser in, dead after use or after 5 minutes. */
  loginUrl(): string;
  /** Swaps the admin token: every session and unused login link ends. */
  rotateAdminToken(token: string): void;
  close(): Promise<void>;
}

/** The connection today's configuration describes (issue #15): the `connection` label of metrics. */
export const DEFAULT_CONNECTION = 'default';

export const defaultWebRoot = (): string => fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** The context and API plugin without a socket: for `inject` tests and startServer. */
export function createServerContext(runtime: Runtime, adminToken: string, intervalMs = 5000): ServerContext {
  const hub = new LiveHub();
  const secrets = secretsOf(runtime.config, adminToken);
  const loop: SyncLoopState = {
    enabled: false,
    running: false,
    intervalMs,
    lastPassAt: null,
    lastError: null,
  };
  const ctx: ServerContext = {
    runtime,
    hub,
    lock: new SerialLock(),
    facts: new RemoteFacts(runtime),
    imports: new ImportJobs(runtime, hub, secrets, () => hub.publish('sync', {})),
    secrets,
    loop,
    metrics: createMetrics({
      connections: () => [
        { name: DEFAULT_CONNECTION, store: runtime.store, adapters: () => runtime.openedAdapters() },
      ],
    }),
    draining: false,
    now: () => new Date(),
    async invalidateEngine() {
      (await runtime.engine()).invalidateContext();
    },
  };
  return ctx;
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const ctx = createServerContext(opts.runtime, opts.adminToken, opts.intervalMs ?? 5000);
  let api: { close(): Promise<void> } | undefined;
  const server = opts.runtime.config.server;
  const app = await buildServer({
    adminToken: opts.adminToken,
    webRoot: opts.webRoot ?? defaultWebRoot(),
    logger: opts.logger ?? false,
    secrets: ctx.secrets,
    ...(opts.logStream ? { logStream: opts.logStream } : {}),
    // One logger for the server and the loop, scrubbing the secrets the context knows (and the
    // admin tokens it learns at a rotation: the same array).
    log: createLogger({
      secrets: ctx.secrets,
      format: opts.logFormat,
      ...(opts.logLevel ? { level: opts.logLevel } : {}),
      ...(opts.logStream ? { destination: opts.logStream } : {}),
    }),
    secureCookies: server?.secureCookies ?? false,
    trustProxy: server?.trustProxy ?? false,
    routes: (a) => {
      api = registerApi(a, ctx);
    },
  });
  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  const controller = new AbortController();
  let loopDone: Promise<unknown> = Promise.resolve();
  if (opts.sync) loopDone = startLoop(ctx, controller.signal, app.log, opts.onPass);

  const url = `http://${host}:${port}`;
  return {
    url,
    loginUrl: () => `${url}/login?code=${app.dealbridge.issueLoginCode()}`,
    rotateAdminToken(token) {
      app.dealbridge.rotateAdminToken(token);
      // The new token is a secret the redaction must know too (the old one stays on the list).
      if (!ctx.secrets.includes(token)) ctx.secrets.push(token);
    },
    async close() {
      // Draining: /readyz says 503 from now on, the pass in flight and an import's batch finish.
      ctx.draining = true;
      app.log.info('draining: the pass in flight finishes, then the server closes');
      controller.abort();
      await ctx.imports.settle();
      await loopDone;
      await app.close();
      await api?.close();
    },
  };
}

function startLoop(
  ctx: ServerContext,
  signal: AbortSignal,
  log: FastifyBaseLogger,
  onPassHook?: (r: PassResult) => void,
): Promise<unknown> {
  const { loop, hub } = ctx;
  // Every line of one pass carries its id: the pass's summary and the error that ended it.
  let passLog = log;
  // The UI shows the last error; the log keeps every one (an operator's only view when no one
  // has the page open), redacted the same way.
  const logError = (e: NonNullable<SyncLoopState['lastError']>) =>
    passLog.error({ event: 'sync', code: e.code, fatal: e.fatal }, `sync loop: ${e.code}: ${e.message}`);
  loop.enabled = true;
  loop.running = true;
  const run = async () => {
    const engine = await ctx.runtime.engine();
    // Passes and change-event batches take the lock the UI's writes take.
    const salesforce = await ctx.runtime.salesforce();
    const changeEvents = await ctx.runtime.changeEvents();
    const result = await runLiveSync(
      engine,
      { salesforce, store: ctx.runtime.store, ...(changeEvents ? { changeEvents } : {}) },
      {
        intervalMs: loop.intervalMs,
        ...(ctx.runtime.config.cdcPollIntervalMs
          ? { cdcPollIntervalMs: ctx.runtime.config.cdcPollIntervalMs }
          : {}),
        // Each pass (and each change-event batch) logs with its own pass id.
        serialize: (fn) =>
          ctx.lock.run(() => {
            passLog = passLogger(log);
            return fn();
          }),
        onCdcStatus: (status, reason, code) => {
          log.info(
            { event: 'cdc', status, ...(code ? { code } : {}) },
            `change data capture: ${status}${reason ? ` (${reason})` : ''}`,
          );
          hub.publish('sync', { cdc: status });
        },
        onCdcBatch: (b) => {
          const n = b.outcome.reduce(
            (s, o) => s + o.counts.created + o.counts.updated + o.counts.archived,
            0,
          );
          if (n > 0) hub.publish('sync', { cdcEvents: b.events, written: n });
        },
        signal,
        onPass: (r) => {
          if (r.ran) {
            ctx.metrics.passFinished(DEFAULT_CONNECTION, r);
            logPass(passLog, r);
          }
          loop.lastPassAt = r.finishedAt;
          onPassHook?.(r);
          if (loop.lastError && !loop.lastError.fatal) loop.lastError = null;
          if (r.ran && r.created + r.updated + r.failed + r.archived > 0) {
            hub.publish('sync', {
              created: r.created,
              updated: r.updated,
              failed: r.failed,
              archived: r.archived,
            });
          }
        },
        onError: (err) => {
          loop.lastError = { ...publicError(err, ctx.secrets), at: new Date().toISOString(), fatal: false };
          logError(loop.lastError);
          hub.publish('sync', { error: loop.lastError.code });
        },
      },
    );
    if (result.fatal) {
      loop.lastError = {
        ...publicError(result.fatal, ctx.secrets),
        at: new Date().toISOString(),
        fatal: true,
      };
      logError(loop.lastError);
    }
  };
  return run()
    .catch((err: unknown) => {
      // Thrown before the first pass (adapters, configuration): the loop never started.
      loop.lastError = { ...publicError(err, ctx.secrets), at: new Date().toISOString(), fatal: true };
      logError(loop.lastError);
    })
    .finally(() => {
      loop.running = false;
      hub.publish('sync', { stopped: true });
    });
}
