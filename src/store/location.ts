// Which backend a database URL names, and where.
import { isAbsolute, resolve } from 'node:path';
import type { DialectName } from './backend.js';

export interface StoreLocation {
  dialect: DialectName;
  /** SQLite: an absolute file path or `:memory:`. Postgres: the URL as given. */
  target: string;
}

/**
 * `postgres://…` / `postgresql://…` → Postgres; `sqlite:PATH`, `sqlite://PATH`, a plain path or
 * `:memory:` → SQLite (relative paths against `cwd`).
 */
export function parseStoreLocation(databaseUrl: string, cwd: string = process.cwd()): StoreLocation {
  const url = databaseUrl.trim();
  if (url === '') throw new Error('database URL is empty');
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', target: url };
  let path = url;
  if (/^sqlite:/i.test(path)) {
    path = path.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new Error(
      `database URL: unsupported scheme in "${url.split('://')[0]}://…" (use sqlite: or postgres://)`,
    );
  }
  if (path === '') throw new Error('database URL: sqlite: needs a file path or :memory:');
  if (path === ':memory:') return { dialect: 'sqlite', target: path };
  return { dialect: 'sqlite', target: isAbsolute(path) ? path : resolve(cwd, path) };
}
