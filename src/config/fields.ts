// Every setting dealbridge reads, once: where it sits in dealbridge.config.json, which
// environment variable overrides it, whether it is a secret, and how it is checked.
import { z } from 'zod';
import { parseSecretKey } from '../secrets/cipher.js';

export type FieldPath = readonly string[];

export interface Field {
  path: FieldPath;
  env?: string;
  /** Secrets are never echoed: not in error messages, not in describeConfig(). */
  secret?: boolean;
  schema: z.ZodType;
}

/** HubSpot computes these itself and refuses writes to them (READ_ONLY_VALUE): not ours to use. */
export const HUBSPOT_READ_ONLY_ROLLUPS = [
  'num_associated_deals',
  'first_deal_created_date',
  'recent_deal_close_date',
  'recent_deal_amount',
  'total_revenue',
] as const;

/** The web UI's login: the one home of its rule (config validation and the server both use it). */
export const ADMIN_TOKEN_MIN_LENGTH = 16;
/**
 * Fewer different characters than this, or one short string repeated, is guessable whatever the
 * length (`aaaaaaaaaaaaaaaa`, `abababababababab`, `passwordpassword`). A random 16-character hex
 * token has fewer than 6 different characters about 3 times in 100,000: regenerate it then.
 */
export const ADMIN_TOKEN_MIN_DISTINCT = 6;

/** The shortest string whose repetition is `s` (s itself when it repeats nothing). */
function repeatedUnit(s: string): string {
  for (let n = 1; n <= s.length / 2; n++) {
    if (s.length % n === 0 && s.slice(0, n).repeat(s.length / n) === s) return s.slice(0, n);
  }
  return s;
}

const GENERATE = 'use a random one, e.g. `openssl rand -base64 24`';

export const adminTokenSchema = z
  .string({ error: 'must be a string' })
  .min(ADMIN_TOKEN_MIN_LENGTH, { error: `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters` })
  .superRefine((token, ctx) => {
    const unit = repeatedUnit(token);
    if (unit !== token) {
      ctx.addIssue({
        code: 'custom',
        message: `is too easy to guess: one ${unit.length}-character string repeated; ${GENERATE}`,
      });
      return;
    }
    const distinct = new Set(token).size;
    if (distinct < ADMIN_TOKEN_MIN_DISTINCT)
      ctx.addIssue({
        code: 'custom',
        message: `is too easy to guess: only ${distinct} different characters (at least ${ADMIN_TOKEN_MIN_DISTINCT}); ${GENERATE}`,
      });
  });

function httpUrl() {
  return z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a URL' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: `must be an http(s) URL (got scheme ${url.protocol})` });
    }
  });
}

/** true/false in the config file; in the environment also 1/0, yes/no, on/off. */
function flag() {
  const words: Record<string, boolean> = {
    true: true,
    '1': true,
    yes: true,
    on: true,
    false: false,
    '0': false,
    no: false,
    off: false,
  };
  return z.union(
    [
      z.boolean(),
      z.string().transform((v, ctx) => {
        const b = words[v.toLowerCase()];
        if (b === undefined) {
          ctx.addIssue({ code: 'custom', message: 'must be true or false' });
          return z.NEVER;
        }
        return b;
      }),
    ],
    { error: 'must be true or false' },
  );
}

function oneOf(values: readonly [string, ...string[]]) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

/** `json`: one JSON object a line (pino); `pretty`: a short line for a person at a terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function text() {
  return z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
}

function number(opts: { min: number; max?: number; int?: boolean }) {
  const what = opts.int ? 'an integer' : 'a number';
  const range = opts.max === undefined ? `>= ${opts.min}` : `from ${opts.min} to ${opts.max}`;
  const message = `must be ${what} ${range}`;
  let schema = z.number({ error: message }).min(opts.min, { error: message });
  if (opts.max !== undefined) schema = schema.max(opts.max, { error: message });
  return opts.int ? schema.int({ error: message }) : schema;
}

function secretKeySchema() {
  return z.string({ error: 'must be a string' }).refine((v) => parseSecretKey(v) !== undefined, {
    error:
      'must be 32 random bytes, base64 (44 characters, e.g. `openssl rand -base64 32`) or hex (64 digits)',
  });
}

function propertyName() {
  return z
    .string({ error: 'must be a string' })
    .regex(/^[a-z][a-z0-9_]{0,99}$/, {
      error: 'must be a HubSpot property name: lowercase letters, digits and _, starting with a letter',
    })
    .refine((name) => !(HUBSPOT_READ_ONLY_ROLLUPS as readonly string[]).includes(name), {
      error: "is one of HubSpot's own read-only properties; choose another name",
    });
}

export const FIELDS: readonly Field[] = [
  { path: ['salesforce', 'loginUrl'], env: 'SALESFORCE_LOGIN_URL', schema: httpUrl() },
  { path: ['salesforce', 'instanceUrl'], env: 'SALESFORCE_INSTANCE_URL', schema: httpUrl() },
  { path: ['salesforce', 'clientId'], env: 'SALESFORCE_CLIENT_ID', schema: text() },
  { path: ['salesforce', 'clientSecret'], env: 'SALESFORCE_CLIENT_SECRET', secret: true, schema: text() },
  { path: ['salesforce', 'refreshToken'], env: 'SALESFORCE_REFRESH_TOKEN', secret: true, schema: text() },
  { path: ['salesforce', 'accessToken'], env: 'SALESFORCE_ACCESS_TOKEN', secret: true, schema: text() },
  {
    path: ['salesforce', 'apiVersion'],
    env: 'SALESFORCE_API_VERSION',
    schema: z.string({ error: 'must be a string' }).regex(/^\d{2,3}\.0$/, { error: 'must look like "62.0"' }),
  },
  { path: ['hubspot', 'baseUrl'], env: 'HUBSPOT_BASE_URL', schema: httpUrl() },
  { path: ['hubspot', 'accessToken'], env: 'HUBSPOT_ACCESS_TOKEN', secret: true, schema: text() },
  { path: ['hubspot', 'clientSecret'], env: 'HUBSPOT_CLIENT_SECRET', secret: true, schema: text() },
  { path: ['databaseUrl'], env: 'DEALBRIDGE_DATABASE_URL', schema: text() },
  {
    path: ['adminToken'],
    env: 'DEALBRIDGE_ADMIN_TOKEN',
    secret: true,
    schema: adminTokenSchema,
  },
  // The key stored secrets are sealed under (src/secrets): 32 bytes, base64 or hex.
  { path: ['secrets', 'key'], env: 'DEALBRIDGE_SECRET_KEY', secret: true, schema: secretKeySchema() },
  { path: ['secrets', 'keyFile'], env: 'DEALBRIDGE_SECRET_KEY_FILE', schema: text() },
  { path: ['server', 'secureCookies'], env: 'DEALBRIDGE_SECURE_COOKIES', schema: flag() },
  { path: ['server', 'trustProxy'], env: 'DEALBRIDGE_TRUST_PROXY', schema: flag() },
  // The bearer token Prometheus sends for /metrics; held to the admin token's strength rule.
  {
    path: ['server', 'metricsToken'],
    env: 'DEALBRIDGE_METRICS_TOKEN',
    secret: true,
    schema: adminTokenSchema,
  },
  { path: ['log', 'format'], env: 'DEALBRIDGE_LOG_FORMAT', schema: oneOf(LOG_FORMATS) },
  { path: ['log', 'level'], env: 'DEALBRIDGE_LOG_LEVEL', schema: oneOf(LOG_LEVELS) },
  { path: ['sync', 'intervalSeconds'], schema: number({ min: 1 }) },
  { path: ['sync', 'salesforceBudgetPercent'], schema: number({ min: 1, max: 100 }) },
  { path: ['sync', 'hubspotDailyAllocation'], schema: number({ min: 1, int: true }) },
  { path: ['sync', 'lookbackSeconds'], schema: number({ min: 0, int: true }) },
  { path: ['sync', 'metadataCheckSeconds'], schema: number({ min: 0, int: true }) },
  { path: ['sync', 'cdcPollIntervalSeconds'], schema: number({ min: 1 }) },
  { path: ['properties', 'numAssociatedDeals'], schema: propertyName() },
  { path: ['properties', 'firstDealCreatedDate'], schema: propertyName() },
  { path: ['properties', 'recentDealCloseDate'], schema: propertyName() },
  { path: ['properties', 'recentDealAmount'], schema: propertyName() },
  { path: ['properties', 'totalRevenue'], schema: propertyName() },
];

export const ENV_FIELDS = FIELDS.filter((f): f is Field & { env: string } => f.env !== undefined);

export function fieldAt(path: readonly PropertyKey[]): Field | undefined {
  const key = path.join('.');
  return FIELDS.find((f) => f.path.join('.') === key);
}

/** The strict schema of dealbridge.config.json, built from FIELDS (unknown keys are errors). */
export function fileSchema(): z.ZodType {
  const tree = new Map<string, Map<string, z.ZodType> | z.ZodType>();
  for (const field of FIELDS) {
    const [head, leaf] = field.path;
    if (head === undefined) continue;
    if (leaf === undefined) {
      tree.set(head, field.schema.optional());
    } else {
      const group = tree.get(head);
      const map = group instanceof Map ? group : new Map<string, z.ZodType>();
      map.set(leaf, field.schema.optional());
      tree.set(head, map);
    }
  }
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of tree) {
    shape[key] =
      value instanceof Map
        ? z.strictObject(Object.fromEntries(value), { error: 'must be an object' }).optional()
        : value;
  }
  return z.strictObject(shape, { error: 'must be a JSON object' });
}
