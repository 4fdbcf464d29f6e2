/** A URL with its password (and any `token`/`key`/`secret` query value) replaced by `***`. */
export function maskUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (!url.host && !url.password) return value;
  let changed = false;
  if (url.password !== '') {
    url.password = '***';
    changed = true;
  }
  for (const key of [...url.searchParams.keys()]) {
    if (/pass|secret|token|key/i.test(key)) {
      url.searchParams.set(key, '***');
      changed = true;
    }
  }
  return changed ? url.toString() : value;
}

/** `***` for a secret that is set, `(not set)` otherwise: never any part of the secret itself. */
export function maskSecret(value: string | undefined): string {
  return value === undefined ? '(not set)' : '***';
}
