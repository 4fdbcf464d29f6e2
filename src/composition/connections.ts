// Connections (issue #15): one Salesforce org and one HubSpot portal each, with a state of its own.
// `default` is the one the environment variables describe, and its state is the store of
// DEALBRIDGE_DATABASE_URL as it has always been. Every other connection is a row of the registry in
// that store (migration 0009) naming its namespace (its secrets sealed in that store's vault): a Postgres schema of its own in the same
// database, or a SQLite file of its own next to the default one. Each namespace is a complete
// store (same migrations, same code), so no query of the engine or the store knows connections
// exist: a command acting on a connection simply opens that connection's store and adapters.
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import pg from 'pg';
import { DealbridgeError } from '../errors/index.js';
import { maskSecret } from '../config/mask.js';
import { openStore, parseStoreLocation, type Store } from '../store/index.js';
import type { ConnectionRow } from '../store/areas/connection-registry.js';
import { parsePostgresUrl } from '../store/postgres/backend.js';
import {
  defaultKeyFile,
  type HubspotConnection,
  type RuntimeConfig,
  type SalesforceConnection,
} from './runtime-config.js';
import { SecretVault } from '../secrets/vault.js';
import type { ConnectionSide } from '../engine/ports/store/connections.js';

export const DEFAULT_CONNECTION = 'default';
/** Lower-case letters, digits and `_`, starting with a letter: safe in a schema or file name. */
export const CONNECTION_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** What `connections add` keeps of the environment. */
export interface ConnectionSettings {
  salesforce: SalesforceConnection;
  hubspot: HubspotConnection;
}

/**
 * The fields that are secrets: sealed in the default store's vault (AES-256-GCM, issue #16;
 * src/secrets) under the connection's name, never in the registry's plain settings.
 */
const SECRET_FIELDS = {
  salesforce: ['clientSecret', 'refreshToken', 'accessToken'],
  hubspot: ['accessToken', 'clientSecret'],
} as const satisfies Record<ConnectionSide, readonly string[]>;
const SIDES = ['salesforce', 'hubspot'] as const;

function vaultOf(base: RuntimeConfig, store: Store): SecretVault {
  return new SecretVault(
    store,
    base.secrets ?? { key: undefined, keyFile: defaultKeyFile(base.databaseUrl) },
  );
}

/** The settings without their secrets, and the secrets by side. */
function splitSecrets(settings: ConnectionSettings) {
  const plain: Record<string, Record<string, unknown>> = {};
  const secret: Record<string, Record<string, unknown>> = {};
  for (const side of SIDES) {
    const all = { ...(settings[side] as unknown as Record<string, unknown>) };
    const sealed: Record<string, unknown> = {};
    for (const f of SECRET_FIELDS[side]) {
      if (all[f] !== undefined) sealed[f] = all[f];
      delete all[f];
    }
    plain[side] = { ...all, sealed: Object.keys(sealed) };
    secret[side] = sealed;
  }
  return { plain, secret };
}

export interface ConnectionInfo {
  name: string;
  /** The connection's store (a Postgres URL names its schema; passwords masked). */
  store: string;
  createdAt: string | null;
  salesforce: Record<string, string | number | undefined>;
  hubspot: Record<string, string | undefined>;
}

function badName(name: string): DealbridgeError {
  return new DealbridgeError(
    'CONFIG_INVALID',
    `connection name "${name}": use lower-case letters, digits and _, starting with a letter (at most 40)`,
  );
}

/** Where a connection's store lives, next to the default store. */
export function namespaceOf(defaultUrl: string, name: string): string {
  const loc = parseStoreLocation(defaultUrl);
  if (loc.dialect === 'postgres') {
    const base = parsePostgresUrl(defaultUrl).schema;
    const u = new URL(defaultUrl);
    u.searchParams.set('schema', `${base ?? 'dealbridge'}_c_${name}`);
    return u.toString();
  }
  if (loc.target === ':memory:')
    throw new DealbridgeError(
      'CONFIG_INVALID',
      'connections need a state store on disk or in Postgres, not :memory:',
    );
  const ext = extname(loc.target);
  return `sqlite:${join(dirname(loc.target), `${basename(loc.target, ext)}.${name}${ext || '.db'}`)}`;
}

async function withDefaultStore<T>(base: RuntimeConfig, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(base.databaseUrl);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function rowOf(base: RuntimeConfig, name: string): Promise<ConnectionRow | undefined> {
  return withDefaultStore(base, async (s) => (await s.listConnections()).find((r) => r.name === name));
}

function unknown(name: string, known: string[]): DealbridgeError {
  return new DealbridgeError(
    'CONFIG_INVALID',
    `no connection "${name}" (connections: ${[DEFAULT_CONNECTION, ...known].join(', ')}); add it with \`dealbridge connections add ${name}\``,
  );
}

/** The runtime configuration of a connection: the default one as given, another from the registry. */
export async function connectionConfig(
  base: RuntimeConfig,
  name: string | undefined,
): Promise<RuntimeConfig> {
  if (name === undefined || name === DEFAULT_CONNECTION) return base;
  if (!CONNECTION_NAME.test(name)) throw badName(name);
  const row = await rowOf(base, name);
  if (!row)
    throw unknown(
      name,
      (await listConnectionRows(base)).map((r) => r.name),
    );
  const settings = row.settings as unknown as ConnectionSettings;
  const opened = await withDefaultStore(base, async (s) => {
    const vault = vaultOf(base, s);
    return {
      salesforce: (await vault.read<object, object>(name, 'salesforce'))?.secrets ?? {},
      hubspot: (await vault.read<object, object>(name, 'hubspot'))?.secrets ?? {},
    };
  });
  const strip = <T extends object>(o: T): T => {
    const { sealed: _sealed, ...rest } = o as T & { sealed?: unknown };
    return rest as T;
  };
  return {
    ...base,
    databaseUrl: row.namespace,
    salesforce: { ...strip(settings.salesforce), ...opened.salesforce },
    hubspot: { ...strip(settings.hubspot), ...opened.hubspot },
  };
}

export function listConnectionRows(base: RuntimeConfig): Promise<ConnectionRow[]> {
  return withDefaultStore(base, (s) => s.listConnections());
}

/** Registers the connection and creates its store (migrated, empty). */
export async function addConnection(
  base: RuntimeConfig,
  name: string,
  now = new Date(),
): Promise<ConnectionInfo> {
  if (!CONNECTION_NAME.test(name)) throw badName(name);
  if (name === DEFAULT_CONNECTION)
    throw new DealbridgeError(
      'CONFIG_INVALID',
      '"default" is the connection the environment variables describe; it needs no adding',
    );
  const namespace = namespaceOf(base.databaseUrl, name);
  const { plain, secret } = splitSecrets({ salesforce: base.salesforce, hubspot: base.hubspot });
  const row: ConnectionRow = { name, namespace, settings: plain, createdAt: now.toISOString() };
  await withDefaultStore(base, async (s) => {
    if ((await s.listConnections()).some((r) => r.name === name))
      throw new DealbridgeError(
        'CONFIG_INVALID',
        `connection "${name}" exists already (dealbridge connections show ${name})`,
      );
    // The secrets first (a wrong key stops here, nothing written), then the store: a registry row
    // never names a namespace or secrets that are not there.
    const vault = vaultOf(base, s);
    for (const side of SIDES) await vault.save(name, side, {}, secret[side] ?? {});
    await (await openStore(namespace)).close();
    await s.addConnection(row);
  });
  return infoOf(row);
}

/** Removes the registry row and deletes the connection's store (its schema or file). */
export async function removeConnection(base: RuntimeConfig, name: string): Promise<ConnectionInfo> {
  if (name === DEFAULT_CONNECTION)
    throw new DealbridgeError(
      'CONFIG_INVALID',
      'the connection "default" is this store itself and cannot be removed',
    );
  const row = await rowOf(base, name);
  if (!row)
    throw unknown(
      name,
      (await listConnectionRows(base)).map((r) => r.name),
    );
  await withDefaultStore(base, async (s) => {
    const vault = vaultOf(base, s);
    for (const side of SIDES) await vault.forget(name, side);
    await s.removeConnection(name);
  });
  const loc = parseStoreLocation(row.namespace);
  if (loc.dialect === 'postgres') {
    const { connectionString, schema } = parsePostgresUrl(row.namespace);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      if (schema) await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  } else {
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(loc.target + suffix)) rmSync(loc.target + suffix);
  }
  return infoOf(row);
}

function maskedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** A secret as `show` prints it: masked, or `(sealed)` where only the vault holds it. */
function shown(value: string | undefined, sealed: boolean): string | undefined {
  return value ? maskSecret(value) : sealed ? '(sealed)' : undefined;
}

function describe(settings: ConnectionSettings) {
  const sf = settings.salesforce;
  const sealedOf = (o: object) => new Set((o as { sealed?: string[] }).sealed ?? []);
  const sfSealed = sealedOf(sf);
  const hsSealed = sealedOf(settings.hubspot);
  return {
    salesforce: {
      loginUrl: sf.loginUrl,
      instanceUrl: sf.instanceUrl,
      clientId: sf.clientId,
      clientSecret: shown(sf.clientSecret, sfSealed.has('clientSecret')),
      refreshToken: shown(sf.refreshToken, sfSealed.has('refreshToken')),
      accessToken: shown(sf.accessToken, sfSealed.has('accessToken')),
      apiVersion: sf.apiVersion,
    },
    hubspot: {
      baseUrl: settings.hubspot.baseUrl,
      accessToken: shown(settings.hubspot.accessToken, hsSealed.has('accessToken')),
    },
  };
}

function infoOf(row: ConnectionRow): ConnectionInfo {
  return {
    name: row.name,
    store: maskedUrl(row.namespace),
    createdAt: row.createdAt,
    ...describe(row.settings as unknown as ConnectionSettings),
  };
}

/** Every connection, `default` first (secrets masked). */
export async function listConnections(base: RuntimeConfig): Promise<ConnectionInfo[]> {
  const rows = await listConnectionRows(base);
  const own: ConnectionInfo = {
    name: DEFAULT_CONNECTION,
    store: maskedUrl(base.databaseUrl),
    createdAt: null,
    ...describe({ salesforce: base.salesforce, hubspot: base.hubspot }),
  };
  return [own, ...rows.map(infoOf)];
}
