// Private-app scopes (issue #16): which scope a CRM call needs, and HubSpot's 403 when the token
// lacks it. HubSpot answers `category: MISSING_SCOPES` with the needed scopes under
// `errors[].context.requiredGranularScopes` ("one or more of the following"), and a `links.scopes`.
// Reads (GET, search, batch/read) need `crm.objects.{type}.read`, every other CRM write
// `….write`; properties are the schema scopes `crm.schemas.{type}.read|write`; owners
// `crm.objects.owners.read`. Account info and currencies need no CRM scope.
import { HubError } from './http.js';

/** Every scope dealbridge needs: the default grant of the emulated token, so nothing breaks. */
export const DEFAULT_SCOPES: readonly string[] = [
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.objects.owners.read',
];

const TYPE_IDS: Record<string, string> = { '0-1': 'contacts', '0-2': 'companies', '0-3': 'deals' };
const known = new Set(['contacts', 'companies', 'deals']);

function typeName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const t = TYPE_IDS[raw] ?? raw.toLowerCase();
  const plural = t.endsWith('s') ? t : `${t}s`;
  return known.has(plural) ? plural : undefined;
}

const isRead = (method: string, path: string) => method === 'GET' || /\/(search|batch\/read)$/.test(path);

/** The scope a call needs, or undefined when it needs none the emulator knows of. */
export function requiredScope(method: string, path: string): string | undefined {
  const access = isRead(method, path) ? 'read' : 'write';
  if (/^\/crm\/v3\/owners(\/|$)/.test(path)) return 'crm.objects.owners.read';
  let m = /^\/crm\/v3\/properties\/([^/]+)/.exec(path);
  if (m) {
    const t = typeName(m[1]);
    return t ? `crm.schemas.${t}.${access}` : undefined;
  }
  m =
    /^\/crm\/v3\/objects\/([^/]+)/.exec(path) ??
    /^\/crm\/v4\/objects\/([^/]+)/.exec(path) ??
    /^\/crm\/v4\/associations\/([^/]+)/.exec(path) ??
    /^\/crm\/associations\/v4\/([^/]+)/.exec(path) ??
    /^\/crm\/v3\/pipelines\/([^/]+)/.exec(path);
  if (m) {
    const t = typeName(m[1]);
    return t ? `crm.objects.${t}.${access}` : undefined;
  }
  return undefined;
}

/** Throws HubSpot's 403 when `granted` lacks the scope the call needs. */
export function checkScopes(granted: ReadonlySet<string>, method: string, path: string): void {
  const needed = requiredScope(method, path);
  if (!needed || granted.has(needed)) return;
  throw new HubError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: 'One or more of the following scopes are required.',
          context: { requiredGranularScopes: [needed] },
        },
      ],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}
