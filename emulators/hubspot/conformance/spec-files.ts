// Where HubSpot's OpenAPI documents live: `../shared/specs/hubspot` next to the repository (a
// local test oracle, never copied into the repo). Tests skip with a message when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SpecDoc {
  file: string;
  doc: OpenApiDoc;
}

export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, unknown> };
}

/** The specs the portal's routes fall under (deals.2026-03 is a different API version: left out). */
export const PORTAL_SPEC_FILES = [
  'objects.v3.json',
  'deals.v3.json',
  'deals.v3.named-path.2025-08-01.json',
  'contacts.v3.json',
  'companies.v3.json',
  'associations.v4.json',
  'associations-schema.v4.json',
  'properties.v3.json',
  'pipelines.v3.json',
  'owners.v3.json',
  'webhooks.v3.json',
] as const;

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export function specsDir(): string {
  return resolve(repoRoot(), '..', 'shared', 'specs', 'hubspot');
}

/** A reason to skip when the specs are not there, else undefined. */
export function specsMissing(): string | undefined {
  const dir = specsDir();
  if (!existsSync(dir))
    return `HubSpot OpenAPI specs not found at ${dir} (expected ../shared/specs/hubspot next to the repo)`;
  const absent = PORTAL_SPEC_FILES.filter((f) => !existsSync(join(dir, f)));
  return absent.length ? `missing spec files in ${dir}: ${absent.join(', ')}` : undefined;
}

export function loadSpecs(files: readonly string[] = PORTAL_SPEC_FILES): SpecDoc[] {
  const dir = specsDir();
  return files.map((file) => ({
    file,
    doc: JSON.parse(readFileSync(join(dir, file), 'utf8')) as OpenApiDoc,
  }));
}
