// Connections (issue #15): one Salesforce org and one HubSpot portal each, with a state of its own.
// `default` is the one the environment variables describe, and its state is the store of
// DEALBRIDGE_DATABASE_URL as it has always been. Every other connection is a row of the registry in
// that store (migration 0009) naming its namespace: a Postgres schema of its own in the same
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
import type { HubspotConnection, RuntimeConfig, SalesforceConnection } from './runtime-config.js';

export const DEFAULT_CONNECTION = 'default';
/** Lower-case letters, digits and `_`, starting with a letter: safe in a schema or file name. */
export const CONNECTION_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** What `connections add` keeps of the environment (in the registry for now). */
export interface ConnectionSettings {
  salesforce: SalesforceConnection;
  hubspot: HubspotConnection;
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
  return { ...base, databaseUrl: row.namespace, salesforce: settings.salesforce, hubspot: settings.hubspot };
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
  const row: ConnectionRow = {
    name,
    namespace,
    settings: {
      salesforce: base.salesforce,
      hubspot: base.hubspot,
    } satisfies ConnectionSettings as unknown as Record<string, unknown>,
    createdAt: now.toISOString(),
  };
  await withDefaultStore(base, async (s) => {
    if ((await s.listConnections()).some((r) => r.name === name))
      throw new DealbridgeError(
        'CONFIG_INVALID',
        `connection "${name}" exists already (dealbridge connections show ${name})`,
      );
    // The store first: a registry row never names a namespace that is not there.
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
  await withDefaultStore(base, (s) => s.removeConnection(name));
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

function describe(settings: ConnectionSettings) {
  const sf = settings.salesforce;
  return {
    salesforce: {
      loginUrl: sf.loginUrl,
      instanceUrl: sf.instanceUrl,
      clientId: sf.clientId,
      clientSecret: sf.clientSecret ? maskSecret(sf.clientSecret) : undefined,
      refreshToken: sf.refreshToken ? maskSecret(sf.refreshToken) : undefined,
      accessToken: sf.accessToken ? maskSecret(sf.accessToken) : undefined,
      apiVersion: sf.apiVersion,
    },
    hubspot: {
      baseUrl: settings.hubspot.baseUrl,
      accessToken: settings.hubspot.accessToken ? maskSecret(settings.hubspot.accessToken) : undefined,
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
