// `dealbridge doctor`: what a command would start from, checked one piece at a time: the
// configuration (and where it came from), the store (reachable, migrations), one cheap call to each
// side (auth, API version, limits, the portal's tier and currency) and whether setup is current.
// Read-only: it migrates nothing and writes nothing to either side. Each check says what it found
// and, when it fails, the fix; the first failure decides the exit code (the CLI's documented ones).
import {
  describeConfig,
  loadConfig,
  requireHubspot,
  requireSalesforce,
  type Config,
} from '../config/index.js';
import { DealbridgeError, exitCodes } from '../errors/index.js';
import {
  SETUP_DONE_SETTING,
  STAGE_MAP_SETTING,
  type StoredStageMap,
} from '../engine/mapping/sync-context.js';
import type { HubspotPort, SalesforcePort } from '../engine/ports/remote.js';
import type { StateStore } from '../engine/ports/store.js';
import { fromAppConfig } from './runtime-config.js';
import type { ConnectionStore } from '../engine/ports/store/connections.js';
import { SecretVault } from '../secrets/vault.js';
import { DEFAULT_CONNECTION, SalesforceConnect } from '../connect/salesforce.js';

export interface DoctorCheck {
  name: 'config' | 'store' | 'secrets' | 'salesforce' | 'hubspot' | 'setup';
  ok: boolean;
  /** What was found (secrets masked). */
  detail: Record<string, unknown>;
  /** Why it failed and how to fix it, when it failed. */
  problem?: string;
  fix?: string;
  /** The exit code this failure ends the command with. */
  exitCode?: number;
}

export interface DoctorReport {
  ok: boolean;
  exitCode: number;
  checks: DoctorCheck[];
}

/** The HubSpot tier by the daily limit its responses report (DESIGN §2.7: 250k / 625k / 1M). */
export function tierOfDailyMax(dailyMax: number | undefined): string | null {
  if (dailyMax === undefined) return null;
  if (dailyMax >= 1_000_000) return 'enterprise (or the API limit increase)';
  if (dailyMax >= 625_000) return 'professional';
  return 'free or starter';
}

function failed(name: DoctorCheck['name'], err: unknown, detail: Record<string, unknown> = {}): DoctorCheck {
  if (err instanceof DealbridgeError) {
    return {
      name,
      ok: false,
      detail,
      problem: `${err.code}: ${err.message}`,
      fix: err.info.fix,
      exitCode: err.exitCode,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { name, ok: false, detail, problem: message, exitCode: exitCodes.unavailable };
}

export interface DoctorDeps {
  env?: NodeJS.ProcessEnv;
  /** Opens the store without migrating it (the CLI passes src/store's openStore). */
  openStore(
    url: string,
  ): Promise<
    StateStore & ConnectionStore & { migrationStatus(): Promise<{ applied: string[]; pending: string[] }> }
  >;
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  let config: Config;
  try {
    config = loadConfig(deps.env ?? process.env);
    checks.push({
      name: 'config',
      ok: true,
      detail: {
        source: config.configFile ?? 'environment only (no config file)',
        values: describeConfig(config),
      },
    });
  } catch (err) {
    checks.push(failed('config', err));
    return finish(checks);
  }

  let store: Awaited<ReturnType<DoctorDeps['openStore']>> | undefined;
  // A store no command has opened yet has no tables: setup cannot have run on it.
  let storeIsNew = false;
  let pending: string[] = [];
  try {
    store = await deps.openStore(config.databaseUrl);
    const migrations = await store.migrationStatus();
    storeIsNew = migrations.applied.length === 0;
    pending = migrations.pending;
    checks.push({
      name: 'store',
      ok: true,
      detail: {
        location: describeConfig(config).databaseUrl,
        migrationsApplied: migrations.applied,
        migrationsPending: migrations.pending,
        ...(migrations.pending.length > 0
          ? { note: 'pending migrations run when the next command opens the store' }
          : {}),
      },
    });
  } catch (err) {
    checks.push(failed('store', err, { location: describeConfig(config).databaseUrl }));
  }
  if (store) checks.push(await secretsCheck(store, config, storeIsNew));

  const runtimeConfig = fromAppConfig(config);
  let salesforce: (SalesforcePort & { close?: () => void }) | undefined;
  let hubspot: (HubspotPort & { close?: () => void | Promise<void> }) | undefined;
  try {
    // The configuration's credentials win; else the connection stored by the UI or `connect`.
    let credentials = 'configuration (environment or config file)';
    try {
      let connection = runtimeConfig.salesforce;
      const stored =
        config.salesforce.flow === undefined && store && !storeIsNew && !pending.includes('0008-connections')
          ? await new SalesforceConnect(new SecretVault(store, config.secrets), {
              configured: false,
            }).credentials()
          : undefined;
      if (stored) {
        connection = { ...connection, ...stored };
        credentials = `stored connection "${DEFAULT_CONNECTION}" (web UI or dealbridge connect)`;
      } else requireSalesforce(config);
      try {
        salesforce = await runtimeConfig.createSalesforce(connection);
      } catch (err) {
        throw stored && err instanceof DealbridgeError && err.code === 'AUTH_FAILED'
          ? new DealbridgeError(
              'CONNECTION_REVOKED',
              `the stored Salesforce connection is refused: ${err.message}`,
            )
          : err;
      }
      const org = await salesforce.orgInfo();
      const usage = salesforce.usage();
      checks.push({
        name: 'salesforce',
        ok: true,
        detail: {
          credentials,
          flow: stored ? 'refresh-token' : config.salesforce.flow,
          apiVersion: config.salesforce.apiVersion,
          organizationId: org.organizationId,
          multiCurrency: org.multiCurrency,
          corporateCurrency: org.corporateCurrency,
          apiUsage: usage ? { used: usage.used, max: usage.max } : null,
        },
      });
    } catch (err) {
      salesforce = undefined;
      checks.push(failed('salesforce', err, { credentials, apiVersion: config.salesforce.apiVersion }));
    }
    let hubspotToken = 'configuration (HUBSPOT_ACCESS_TOKEN or config file)';
    try {
      const storedToken =
        config.hubspot.accessToken === undefined &&
        store &&
        !storeIsNew &&
        !pending.includes('0008-connections')
          ? await new SecretVault(store, config.secrets)
              .read<object, { privateAppToken: string }>(DEFAULT_CONNECTION, 'hubspot')
              .then((c) => c?.secrets.privateAppToken)
          : undefined;
      if (storedToken)
        hubspotToken = `stored connection "${DEFAULT_CONNECTION}" (web UI or dealbridge connect)`;
      else requireHubspot(config);
      hubspot = await runtimeConfig.createHubspot(
        storedToken ? { ...runtimeConfig.hubspot, accessToken: storedToken } : runtimeConfig.hubspot,
      );
      const account = await hubspot.accountInfo();
      const usage = hubspot.usage();
      checks.push({
        name: 'hubspot',
        ok: true,
        detail: {
          credentials: hubspotToken,
          portalId: account.portalId,
          companyCurrency: account.companyCurrency,
          currencies: account.currencies,
          tier: tierOfDailyMax(usage.dailyMax),
          dailyMax: usage.dailyMax ?? null,
          dailyRemaining: usage.dailyRemaining ?? null,
        },
      });
    } catch (err) {
      hubspot = undefined;
      checks.push(failed('hubspot', err, { credentials: hubspotToken }));
    }
    if (store && salesforce && hubspot)
      checks.push(await setupCheck(storeIsNew ? undefined : store, salesforce, hubspot));
  } finally {
    salesforce?.close?.();
    await hubspot?.close?.();
    await store?.close();
  }
  return finish(checks);
}

/** The key that seals stored connections: where it comes from, and that it opens what is stored. */
async function secretsCheck(
  store: ConnectionStore & { migrationStatus(): Promise<{ pending: string[] }> },
  config: Config,
  storeIsNew: boolean,
): Promise<DoctorCheck> {
  const where = config.secrets.key !== undefined ? 'DEALBRIDGE_SECRET_KEY' : config.secrets.keyFile;
  if (storeIsNew || (await store.migrationStatus()).pending.includes('0008-connections'))
    return { name: 'secrets', ok: true, detail: { key: where, storedConnections: 0 } };
  try {
    const c = await new SecretVault(store, config.secrets).check();
    return {
      name: 'secrets',
      ok: true,
      detail: {
        key: where,
        keyId: c.keyId ?? '(no key yet: made when a connection is stored)',
        storedConnections: c.rows,
      },
    };
  } catch (err) {
    return failed('secrets', err, { key: where });
  }
}

/** Setup is current when it ran, its stage map covers every record type and what it made exists. */
async function setupCheck(
  store: StateStore | undefined,
  salesforce: SalesforcePort,
  hubspot: HubspotPort,
): Promise<DoctorCheck> {
  const problems: string[] = [];
  const completedAt = await store?.getSetting<string>(SETUP_DONE_SETTING);
  const stored = await store?.getSetting<StoredStageMap>(STAGE_MAP_SETTING);
  if (!completedAt || !stored) problems.push('setup has not run on this store');
  const [dealProps, contactProps, pipelines, recordTypes] = await Promise.all([
    hubspot.properties('deals'),
    hubspot.properties('contacts'),
    hubspot.dealPipelines(),
    salesforce.opportunityRecordTypes(),
  ]);
  if (!dealProps.some((p) => p.name === 'salesforce_opportunity_id'))
    problems.push('the deal property salesforce_opportunity_id is missing');
  if (!contactProps.some((p) => p.name === 'salesforce_contact_id'))
    problems.push('the contact property salesforce_contact_id is missing');
  if (stored) {
    const pipelineIds = new Set(pipelines.map((p) => p.id));
    const stageIds = new Set(pipelines.flatMap((p) => p.stages.map((s) => `${p.id}/${s.id}`)));
    for (const [rt, stages] of Object.entries(stored.map)) {
      for (const [stage, target] of Object.entries(stages)) {
        if (!pipelineIds.has(target.pipelineId))
          problems.push(`record type ${rt}: the pipeline of stage "${stage}" no longer exists in HubSpot`);
        else if (!stageIds.has(`${target.pipelineId}/${target.stageId}`))
          problems.push(`record type ${rt}: the HubSpot stage of "${stage}" no longer exists`);
      }
    }
    for (const rt of recordTypes.filter((r) => r.IsActive)) {
      if (!(rt.Id in stored.map)) problems.push(`record type ${rt.Name} (${rt.Id}) has no stage map`);
    }
  }
  const detail = {
    completedAt: completedAt ?? null,
    recordTypes: recordTypes.length,
    pipelines: pipelines.filter((p) => p.label.startsWith('Salesforce - ')).map((p) => p.label),
  };
  if (problems.length === 0) return { name: 'setup', ok: true, detail };
  return {
    name: 'setup',
    ok: false,
    detail: { ...detail, problems },
    problem: problems.join('; '),
    fix: 'run `dealbridge setup` (idempotent: it creates or updates only what is missing)',
    exitCode: exitCodes.setup,
  };
}

function finish(checks: DoctorCheck[]): DoctorReport {
  const firstFailure = checks.find((c) => !c.ok);
  return { ok: !firstFailure, exitCode: firstFailure?.exitCode ?? 0, checks };
}
