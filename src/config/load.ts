// loadConfig: dealbridge.config.json (optional), then environment variables over it, checked
// once; every problem is reported with the key that holds it, then the result is frozen.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import { DealbridgeError } from '../errors/index.js';
import { parseStoreLocation } from '../store/location.js';
import { ENV_FIELDS, FIELDS, fieldAt, fileSchema } from './fields.js';
import type { Field } from './fields.js';
import { maskUrl } from './mask.js';
import type { Config, SalesforceConfig } from './types.js';

type Env = Record<string, string | undefined>;
type Tree = Record<string, unknown>;

export const DEFAULT_CONFIG_FILE = 'dealbridge.config.json';
export const DEFAULT_DATABASE_PATH = '.dealbridge/state.db';
/** The key file's name, next to the SQLite state file (or under .dealbridge/ for Postgres). */
export const DEFAULT_KEY_FILE_NAME = 'secret.key';

export const DEFAULTS = {
  salesforceApiVersion: '62.0',
  hubspotBaseUrl: 'https://api.hubapi.com',
  sync: {
    intervalSeconds: 5,
    salesforceBudgetPercent: 80,
    lookbackSeconds: 60,
    metadataCheckSeconds: 300,
    cdcPollIntervalSeconds: 60,
  },
  properties: {
    numAssociatedDeals: 'salesforce_num_associated_deals',
    firstDealCreatedDate: 'salesforce_first_deal_created_date',
    recentDealCloseDate: 'salesforce_recent_deal_close_date',
    recentDealAmount: 'salesforce_recent_deal_amount',
    totalRevenue: 'salesforce_total_revenue',
  },
} as const;

/**
 * What a rejected value looked like, for the message: only plain values of non-secret keys
 * (an object or array could hold secrets), and URLs without their password.
 */
function shown(field: Field | undefined, value: unknown): string {
  if (field?.secret || value === undefined || (value !== null && typeof value === 'object')) return '';
  let text = typeof value === 'string' ? maskUrl(value) : value;
  if (typeof text === 'string' && text.length > 60) text = `${text.slice(0, 57)}...`;
  return ` (got ${JSON.stringify(text)})`;
}

function issuesOf(
  error: z.ZodError,
  label: (path: readonly PropertyKey[]) => string,
  input: unknown,
  fieldFor: (path: readonly PropertyKey[]) => Field | undefined = fieldAt,
): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${label([...issue.path, key])}: unknown key`);
      continue;
    }
    const value = issue.path.reduce<unknown>(
      (node, key) => (node !== null && typeof node === 'object' ? (node as Tree)[key as string] : undefined),
      input,
    );
    out.push(`${label(issue.path)}: ${issue.message}${shown(fieldFor(issue.path), value)}`);
  }
  return out;
}

function fail(problems: string[], field: string | undefined): never {
  throw new DealbridgeError(
    'CONFIG_INVALID',
    problems.join('\n'),
    field === undefined ? undefined : { field },
  );
}

function setAt(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  path.forEach((key, i) => {
    if (i === path.length - 1) node[key] = value;
    else node = (node[key] ??= {}) as Tree;
  });
}

interface FileInput {
  path: string;
  label: string;
  values: Tree;
}

function readConfigFile(env: Env, cwd: string): FileInput | undefined {
  const explicit = env.DEALBRIDGE_CONFIG?.trim() || undefined;
  const path = resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    if (explicit !== undefined) fail([`DEALBRIDGE_CONFIG: file not found: ${path}`], 'DEALBRIDGE_CONFIG');
    return undefined;
  }
  const rel = relative(cwd, path);
  const label = rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    // V8's message quotes the file's text, which may hold secrets: keep the position only.
    const position = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
    fail([`${label}: not valid JSON${position === undefined ? '' : ` (at character ${position})`}`], label);
  }
  const result = fileSchema().safeParse(raw);
  if (!result.success) {
    const problems = issuesOf(
      result.error,
      (p) => (p.length === 0 ? label : `${label}: ${p.join('.')}`),
      raw,
    );
    fail(problems, label);
  }
  return { path, label, values: raw as Tree };
}

function readEnv(env: Env): { values: Tree; problems: string[]; firstBad?: string } {
  const values: Tree = {};
  const problems: string[] = [];
  let firstBad: string | undefined;
  for (const field of ENV_FIELDS) {
    const raw = env[field.env];
    // An empty variable counts as unset (docker-compose and CI often pass `VAR=`).
    if (raw === undefined || raw.trim() === '') continue;
    const value = raw.trim();
    const result = field.schema.safeParse(value);
    if (result.success) setAt(values, field.path, result.data);
    else {
      firstBad ??= field.env;
      problems.push(
        ...issuesOf(
          result.error,
          () => field.env,
          value,
          () => field,
        ),
      );
    }
  }
  return { values, problems, ...(firstBad === undefined ? {} : { firstBad }) };
}

const SF_CREDENTIALS = [
  'loginUrl',
  'instanceUrl',
  'clientId',
  'clientSecret',
  'refreshToken',
  'accessToken',
] as const;
const FLOWS = [
  { flow: 'client-credentials', needs: ['loginUrl', 'clientId', 'clientSecret'] },
  { flow: 'access-token', needs: ['instanceUrl', 'accessToken'] },
] as const;

function keyName(leaf: string): string {
  const field = FIELDS.find((f) => f.path[0] === 'salesforce' && f.path[1] === leaf);
  return `${field?.env ?? leaf} (salesforce.${leaf})`;
}

function salesforceConfig(values: Tree): SalesforceConfig {
  const sf = (values.salesforce ?? {}) as Partial<Record<string, string>>;
  const given = SF_CREDENTIALS.filter((k) => sf[k] !== undefined);
  let flow: SalesforceConfig['flow'];
  if (FLOWS[0].needs.every((k) => sf[k] !== undefined)) {
    flow = sf.refreshToken !== undefined ? 'refresh-token' : 'client-credentials';
  } else if (FLOWS[1].needs.every((k) => sf[k] !== undefined)) {
    flow = 'access-token';
  } else if (given.length > 0) {
    const closest = [...FLOWS]
      .map((f) => ({ ...f, missing: f.needs.filter((k) => sf[k] === undefined) }))
      .sort((a, b) => a.missing.length - b.missing.length)[0]!;
    const first = closest.missing[0]!;
    fail(
      [
        `Salesforce credentials incomplete: missing ${closest.missing.map(keyName).join(', ')}. ` +
          'Give SALESFORCE_LOGIN_URL + SALESFORCE_CLIENT_ID + SALESFORCE_CLIENT_SECRET (client credentials; ' +
          'add SALESFORCE_REFRESH_TOKEN for the refresh-token flow), or SALESFORCE_INSTANCE_URL + SALESFORCE_ACCESS_TOKEN.',
      ],
      FIELDS.find((f) => f.path[1] === first)?.env,
    );
  }
  return {
    flow,
    apiVersion: sf.apiVersion ?? DEFAULTS.salesforceApiVersion,
    loginUrl: sf.loginUrl,
    instanceUrl: sf.instanceUrl,
    clientId: sf.clientId,
    clientSecret: sf.clientSecret,
    refreshToken: sf.refreshToken,
    accessToken: sf.accessToken,
  };
}

function databaseUrl(envValues: Tree, file: FileInput | undefined, cwd: string): string {
  const fromEnv = envValues.databaseUrl as string | undefined;
  const fromFile = file?.values.databaseUrl as string | undefined;
  // A relative SQLite path in the file is relative to the file, so the file can move with its data.
  const [raw, base, key] =
    fromEnv !== undefined
      ? [fromEnv, cwd, 'DEALBRIDGE_DATABASE_URL']
      : fromFile !== undefined && file !== undefined
        ? [fromFile, dirname(file.path), `${file.label}: databaseUrl`]
        : [DEFAULT_DATABASE_PATH, cwd, 'DEALBRIDGE_DATABASE_URL'];
  try {
    return parseStoreLocation(raw, base).target;
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^database URL:?\s*/, '') : String(err);
    return fail([`${key}: ${reason}${shown(fieldAt(['databaseUrl']), raw)}`], key);
  }
}

/** The key file: as given (relative to the config file, or the working folder), else next to the SQLite file. */
function secretsConfig(values: Tree, envValues: Tree, file: FileInput | undefined, cwd: string, db: string) {
  const secrets = (values.secrets ?? {}) as Partial<Record<string, string>>;
  const fromEnv = (envValues.secrets as Partial<Record<string, string>> | undefined)?.keyFile;
  const given = secrets.keyFile;
  const base = fromEnv === undefined && file !== undefined ? dirname(file.path) : cwd;
  const sqliteFile = parseStoreLocation(db).dialect === 'sqlite' && db !== ':memory:';
  const keyFile =
    given !== undefined
      ? resolve(base, given)
      : sqliteFile
        ? join(dirname(db), DEFAULT_KEY_FILE_NAME)
        : resolve(cwd, dirname(DEFAULT_DATABASE_PATH), DEFAULT_KEY_FILE_NAME);
  return { key: secrets.key, keyFile, keyFileGiven: given !== undefined };
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] =
      value !== null && typeof value === 'object' && prev !== null && typeof prev === 'object'
        ? deepMerge(prev as Tree, value as Tree)
        : value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function distinctPropertyNames(properties: Config['properties'], file: FileInput | undefined): void {
  const seen = new Map<string, string>();
  for (const [key, name] of Object.entries(properties)) {
    const other = seen.get(name);
    if (other !== undefined) {
      const label = file === undefined ? 'properties' : `${file.label}: properties`;
      fail([`${label}.${key}: must differ from properties.${other} (both "${name}")`], `properties.${key}`);
    }
    seen.set(name, key);
  }
}

/**
 * Reads dealbridge.config.json (DEALBRIDGE_CONFIG, else ./dealbridge.config.json if present) and
 * the environment (which wins), checks everything, and returns a frozen Config. Throws
 * DealbridgeError('CONFIG_INVALID') naming every bad key and why.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const file = readConfigFile(env, cwd);
  const fromEnv = readEnv(env);
  if (fromEnv.problems.length > 0) fail(fromEnv.problems, fromEnv.firstBad);
  const values = deepMerge(file?.values ?? {}, fromEnv.values);
  const hubspot = (values.hubspot ?? {}) as Partial<Record<string, string>>;
  const sync = (values.sync ?? {}) as Partial<Record<string, number>>;
  const server = (values.server ?? {}) as Partial<Record<string, boolean>> & { metricsToken?: string };
  const log = (values.log ?? {}) as Partial<Config['log']>;
  const properties = {
    ...DEFAULTS.properties,
    ...((values.properties ?? {}) as Partial<Record<string, string>>),
  };
  distinctPropertyNames(properties, file);
  const dbUrl = databaseUrl(fromEnv.values, file, cwd);
  const config: Config = {
    configFile: file?.path,
    salesforce: salesforceConfig(values),
    hubspot: {
      baseUrl: (hubspot.baseUrl ?? DEFAULTS.hubspotBaseUrl).replace(/\/+$/, ''),
      accessToken: hubspot.accessToken,
      ...(hubspot.clientSecret !== undefined ? { clientSecret: hubspot.clientSecret } : {}),
    },
    databaseUrl: dbUrl,
    adminToken: values.adminToken as string | undefined,
    secrets: secretsConfig(values, fromEnv.values, file, cwd, dbUrl),
    server: {
      secureCookies: server.secureCookies ?? false,
      trustProxy: server.trustProxy ?? false,
      metricsToken: server.metricsToken,
    },
    log: { format: log.format, level: log.level ?? 'info' },
    sync: {
      intervalSeconds: sync.intervalSeconds ?? DEFAULTS.sync.intervalSeconds,
      salesforceBudgetPercent: sync.salesforceBudgetPercent ?? DEFAULTS.sync.salesforceBudgetPercent,
      hubspotDailyAllocation: sync.hubspotDailyAllocation,
      lookbackSeconds: sync.lookbackSeconds ?? DEFAULTS.sync.lookbackSeconds,
      metadataCheckSeconds: sync.metadataCheckSeconds ?? DEFAULTS.sync.metadataCheckSeconds,
      cdcPollIntervalSeconds: sync.cdcPollIntervalSeconds ?? DEFAULTS.sync.cdcPollIntervalSeconds,
    },
    properties,
  };
  return deepFreeze(config);
}
