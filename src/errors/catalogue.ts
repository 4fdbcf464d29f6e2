// The one catalogue of dealbridge error codes. Every code is documented in docs/errors.md (a test
// keeps the two in step), so a code seen in `dealbridge errors list` or in a log can always be
// looked up. Codes are stable: rename one only with a migration of stored sync errors.
import { cdcEntries, type CdcErrorCode } from './catalogue-cdc.js';
import { connectEntries, type ConnectErrorCode } from './catalogue-connect.js';

export type ErrorCode =
  | 'OWNER_NOT_FOUND'
  | 'STAGE_NOT_MAPPED'
  | 'INVALID_PICKLIST'
  | 'VALUE_TOO_LONG'
  | 'CURRENCY_NOT_ENABLED'
  | 'CURRENCY_MISMATCH'
  | 'REQUIRED_VALUE_MISSING'
  | 'INVALID_VALUE'
  | 'HUBSPOT_VALIDATION'
  | 'HUBSPOT_CONFLICT'
  | 'HUBSPOT_RATE_LIMITED'
  | 'HUBSPOT_UNAVAILABLE'
  | 'HUBSPOT_BAD_RESPONSE'
  | 'HUBSPOT_NOT_FOUND'
  | 'SALESFORCE_LIMIT_REACHED'
  | 'SALESFORCE_UNAVAILABLE'
  | 'SALESFORCE_BAD_RESPONSE'
  | 'SALESFORCE_QUERY_FAILED'
  | 'FIELD_CUSTOM_VALIDATION_EXCEPTION'
  | 'REQUIRED_FIELD_MISSING'
  | 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
  | 'DUPLICATES_DETECTED'
  | 'UNABLE_TO_LOCK_ROW'
  | 'ENTITY_IS_DELETED'
  | 'SALESFORCE_WRITE_REJECTED'
  | 'AUTH_FAILED'
  | 'CONFIG_INVALID'
  | 'COMPANY_MATCH_FAILED'
  | 'COMPANY_DOMAIN_SHARED'
  | 'ASSOCIATION_FAILED'
  | 'CURSOR_TOO_OLD'
  | 'PIPELINE_INVARIANT_VIOLATED'
  | 'SETUP_REQUIRED'
  | 'IMPORT_RUNNING'
  | 'WORKER_NEEDS_POSTGRES'
  | 'WORKER_JOB_FAILED'
  | 'STORE_UNREACHABLE'
  | 'STORE_BUSY'
  | 'STORE_CANNOT_OPEN'
  | 'STORE_READ_ONLY'
  | CdcErrorCode
  | ConnectErrorCode
  | 'INTERNAL';

/**
 * 'warning': the record synced, with something the user should know (an owner or Type value left
 * out); stored and shown apart from errors and never retried by itself. 'error': the record (or
 * part of it) did not sync; retried with backoff.
 */
export type Severity = 'error' | 'warning';

export interface ErrorInfo {
  code: ErrorCode;
  title: string;
  /** What it means. */
  description: string;
  /** How the user fixes it. */
  fix: string;
  /** 'record': only that record fails, retried by later passes; 'pass': the pass stops and resumes later; 'fatal': needs the user */
  scope: 'record' | 'pass' | 'fatal';
  retryable: boolean;
  /** What a record with this code synced as; a record held back by it is an error whatever this says. */
  severity: Severity;
  /** CLI exit code when it ends a command */
  exitCode: number;
}

/**
 * CLI exit codes. 1 is shared with "finished, but some records failed" and "verify found
 * differences", so scripts can tell "look at the report" (1) from "fix the setup" (2–4),
 * "try again later" (5–6), "the state store is unusable" (7) and "a bug" (70, sysexits' EX_SOFTWARE).
 */
export const exitCodes = {
  recordErrors: 1,
  config: 2,
  auth: 3,
  setup: 4,
  budget: 5,
  unavailable: 6,
  store: 7,
  internal: 70,
} as const;

type Entry = Omit<ErrorInfo, 'code'>;

const record = (title: string, description: string, fix: string): Entry => ({
  title,
  description,
  fix,
  scope: 'record',
  retryable: true,
  severity: 'error',
  exitCode: exitCodes.recordErrors,
});

/** A record-level warning: the record synced; nothing to retry until the user changes something. */
const warning = (title: string, description: string, fix: string): Entry => ({
  ...record(title, description, fix),
  retryable: false,
  severity: 'warning',
});

/** A failure that needs the user, ending a command with the given exit code. */

const entries: Record<ErrorCode, Entry> = {
  OWNER_NOT_FOUND: warning(
    'Opportunity owner has no HubSpot owner',
    "The opportunity's owner (a Salesforce user) has no HubSpot owner with the same email address, or HubSpot refused the owner dealbridge had mapped (INVALID_OWNER_ID: the owner was removed; dealbridge then reads HubSpot's owners again). The deal still syncs, without an owner or with the fallback owner (setting fallbackOwnerId); a warning, not retried by itself.",
    'Invite the user to HubSpot with the same email address as in Salesforce (or fix the email on either side), or set a fallback owner: `dealbridge settings set fallbackOwnerId <HubSpot owner id>`; then run `dealbridge setup` to refresh the owner map (it makes these records due again).',
  ),
  STAGE_NOT_MAPPED: record(
    'Opportunity stage has no HubSpot deal stage',
    "The opportunity's stage (for its record type) maps to no stage of a HubSpot deal pipeline, so the deal cannot be placed and is not written. With `autoProvision` on (the default) the sync adds missing pipelines and stages itself; this error then means it could not (the message says why: `autoProvision` is off, HubSpot refused the pipeline or stage, or the stage map was edited by the user).",
    'Run `dealbridge setup`: it adds the missing pipeline or stage and retries the records that failed (or turn provisioning on again with `dealbridge settings set autoProvision on`). With a stage map edited in the web UI, map the stage to a HubSpot stage there instead.',
  ),
  INVALID_PICKLIST: warning(
    'Picklist value has no HubSpot option',
    'A Salesforce picklist value has no matching option in the HubSpot enumeration property it maps to. For `Type` (an unrestricted picklist in most orgs) this is a warning: the deal syncs without `dealtype`, and is not retried by itself. For a custom-mapped picklist it is an error: the deal is held back and retried.',
    'For Type: add the missing values as options of HubSpot\'s `dealtype` with `dealbridge setup --add-dealtype-options`, or map a value to an existing option with `dealbridge settings set typeValueMap \'{"Legacy Deal":"newbusiness"}\'` (or on the web UI\'s Settings page); then `dealbridge errors retry --code INVALID_PICKLIST`. For a custom mapping: add the option to that HubSpot property (Settings › Properties), then `dealbridge errors retry`.',
  ),
  VALUE_TOO_LONG: record(
    'Value longer than HubSpot allows',
    'A text value is longer than the HubSpot property accepts (65,536 characters for a string property).',
    'Shorten the value in Salesforce, or stop syncing that field for the record; the next change re-syncs it.',
  ),
  CURRENCY_NOT_ENABLED: record(
    'Opportunity currency is not enabled in HubSpot',
    "The opportunity's currency (CurrencyIsoCode, multi-currency orgs) is not one of the currencies enabled in the HubSpot portal, so the deal cannot carry it.",
    'Add the currency in HubSpot (Settings › Account defaults › Currency), then `dealbridge errors retry`.',
  ),
  CURRENCY_MISMATCH: record(
    'Deal amount is in another currency than its opportunity',
    "A HubSpot user changed a deal's amount (Two-way rule) while the deal's currency (deal_currency_code) differs from its opportunity's CurrencyIsoCode. An amount goes back to Salesforce only in the opportunity's own currency, exact to the cent, so nothing of the deal is written; the rest of the records are.",
    "Set the deal's currency back to the opportunity's in HubSpot (or change the opportunity's currency in Salesforce); the next HubSpot change of the deal, or `dealbridge errors retry`, writes it.",
  ),
  REQUIRED_VALUE_MISSING: record(
    'Required value missing',
    'A value HubSpot requires for a deal (the deal name, a pipeline or stage) is blank.',
    'Fill in the field on the Salesforce opportunity; the next change re-syncs it.',
  ),
  INVALID_VALUE: record(
    'Value cannot be converted',
    "A Salesforce value cannot be written to its HubSpot property: wrong type for a custom mapping, a malformed number or date; or an opportunity's amount cannot be converted to the portal's currency for a contact's or company's rollups, because Salesforce has no conversion rate for its currency (on its close date, with advanced currency management).",
    "Correct the value in Salesforce or change the field mapping so that the types agree (picklist ↔ enumeration, number ↔ number, date ↔ date, text ↔ text). A missing conversion rate: add it in Salesforce (Setup › Manage Currencies; with advanced currency management a dated rate covering the opportunity's close date), then `dealbridge errors retry`.",
  ),
  HUBSPOT_VALIDATION: record(
    'HubSpot rejected the record',
    'HubSpot refused the values of this record (HTTP 400 VALIDATION_ERROR); the message says which property and why.',
    'Correct the named property or its value (in Salesforce, or the property definition in HubSpot), then `dealbridge errors retry`.',
  ),
  HUBSPOT_CONFLICT: record(
    'HubSpot reports a conflict',
    'HubSpot refused the write with HTTP 409, usually because another record already holds a unique value (salesforce_opportunity_id, salesforce_account_id, a company domain).',
    'Find the HubSpot record that holds the value (search by it), merge or clear it, then `dealbridge errors retry`.',
  ),
  HUBSPOT_RATE_LIMITED: {
    title: 'HubSpot rate limit reached',
    description:
      "HubSpot answered 429 more often than the retries could absorb, or the portal's daily allocation for dealbridge is spent. The pass stops and resumes later; nothing is lost.",
    fix: 'Nothing to do for a burst limit. For the daily limit, raise the allocation setting, or let another integration use fewer calls; the sync resumes by itself.',
    scope: 'pass',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.unavailable,
  },
  HUBSPOT_UNAVAILABLE: {
    title: 'HubSpot unavailable',
    description:
      'HubSpot answered 5xx or did not answer in time, after retries. The pass stops and resumes later.',
    fix: 'Nothing to do unless it lasts: check status.hubspot.com and the HUBSPOT_BASE_URL setting.',
    scope: 'pass',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.unavailable,
  },
  HUBSPOT_BAD_RESPONSE: {
    title: 'HubSpot answer cannot be read',
    description:
      "HubSpot answered with something dealbridge cannot read: a body that is not JSON (a proxy's HTML page, a body cut off mid-way), an answer broken off while it was read, or JSON that is not what the API documents. It is retried at once like a 5xx; when the retries do not get a readable answer the pass stops and the next pass starts again where it stopped (the writes are idempotent, so a write whose answer was lost is not made twice). When a batch's answer leaves out an input (no result, no error), only that record fails and is retried.",
    fix: 'Nothing to do if it passes. If it lasts, something between dealbridge and HubSpot alters or cuts answers (a proxy, TLS inspection, a firewall): the message shows the call and the start of what arrived; check HUBSPOT_BASE_URL and that path.',
    scope: 'pass',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.unavailable,
  },
  HUBSPOT_NOT_FOUND: record(
    'HubSpot record not found',
    'A HubSpot record dealbridge linked to (a deal, contact or company) no longer exists, e.g. it was deleted or merged in HubSpot.',
    'Nothing to do in most cases: dealbridge checks the record, follows a merge to its new record or forgets the link and matches the contact or company again (or creates the deal or company again), in the same pass, and rewrites its associations and rollups (docs/sync.md, "Records deleted or merged in HubSpot"). Should the error stay, run `dealbridge errors retry`.',
  ),
  SALESFORCE_LIMIT_REACHED: {
    title: 'Salesforce API budget spent',
    description:
      "The org's API usage (Sforce-Limit-Info) reached the budget set for dealbridge (default 80 % of the daily allocation), or Salesforce answered REQUEST_LIMIT_EXCEEDED. The sync stops cleanly and resumes where it stopped: while paused it asks Salesforce's `/limits` once a minute (one API call; the cached Sforce-Limit-Info reading is not trusted after a stop), so it resumes within a minute of the allocation coming back.",
    fix: 'Wait for the 24-hour window to free calls, or raise the budget setting; the sync resumes by itself.',
    scope: 'pass',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.budget,
  },
  SALESFORCE_UNAVAILABLE: {
    title: 'Salesforce unavailable',
    description: 'Salesforce answered 5xx, was in maintenance, or did not answer in time, after retries.',
    fix: 'Nothing to do unless it lasts: check status.salesforce.com and SALESFORCE_INSTANCE_URL / SALESFORCE_LOGIN_URL.',
    scope: 'pass',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.unavailable,
  },
  SALESFORCE_BAD_RESPONSE: {
    title: 'Salesforce answer cannot be read',
    description:
      'Salesforce answered with something dealbridge cannot read: a body that is not JSON (a maintenance or login page, a body cut off mid-way), an answer broken off while it was read, or a page or row that is not what the API documents. It is retried at once like a 5xx; when the retries do not get a readable answer the pass stops and the next pass reads again from the stored cursor.',
    fix: 'Nothing to do if it passes. If it lasts, check status.salesforce.com, SALESFORCE_INSTANCE_URL (a My Domain change, a proxy) and the network path: the message shows the call and the start of what arrived.',
    scope: 'pass',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.unavailable,
  },
  SALESFORCE_QUERY_FAILED: {
    title: 'Salesforce query failed',
    description:
      'Salesforce refused a query (INVALID_FIELD, MALFORMED_QUERY, INSUFFICIENT_ACCESS), usually because a custom-mapped field does not exist or the integration user cannot see it.',
    fix: 'Check the custom field mappings against the Opportunity fields, and the field-level security of the integration user; then run the command again.',
    scope: 'fatal',
    retryable: false,
    severity: 'error',
    exitCode: exitCodes.setup,
  },
  FIELD_CUSTOM_VALIDATION_EXCEPTION: record(
    'A Salesforce validation rule refused the write',
    "Salesforce refused a value dealbridge wrote to an opportunity (a change made in HubSpot, two-way): one of the org's validation rules holds for the record as it would be saved. The message is the rule's own, with the field it names. The other records of the batch are written.",
    'Change the value in HubSpot so that the rule passes (the message says what the rule wants), or have a Salesforce admin change the rule (Setup › Object Manager › Opportunity › Validation Rules); then `dealbridge errors retry`.',
  ),
  REQUIRED_FIELD_MISSING: record(
    'A field Salesforce requires is missing',
    'Salesforce refused a write because a required field is blank: on an opportunity Name, StageName and CloseDate are required (a deal without a close date cannot become an opportunity), and a layout or the org may require more. The message names the fields.',
    'Fill in the named property on the HubSpot deal (for CloseDate: the close date), or map a value to the field; then `dealbridge errors retry`.',
  ),
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: record(
    'Value not allowed by a restricted picklist',
    "Salesforce refused a value for a restricted picklist field: it is not one of the field's active values (for StageName: not a stage of the record type's sales process). The message names the field and the value.",
    "Use a value the picklist has (a stage of the opportunity's sales process: check the stage map in the web UI's settings), or have an admin add the value in Salesforce; then `dealbridge errors retry`.",
  ),
  DUPLICATES_DETECTED: record(
    'A Salesforce duplicate rule blocked the write',
    'An active duplicate rule of the org matched the record dealbridge wrote to an existing one and its action is Block ("Use one of these records?"). The message names the rule or the record matched.',
    'Merge or correct the duplicate in Salesforce, or have an admin set the rule to Allow for the integration user; then `dealbridge errors retry`.',
  ),
  UNABLE_TO_LOCK_ROW: record(
    'Salesforce record locked by another transaction',
    'Another transaction (a user, a trigger, another integration, a data load) held the record, or a parent of it, while dealbridge wrote it. dealbridge sends a locked record again alone, up to 3 times within about 4 seconds; this error is what is left after that, and the record is retried with backoff like any other failure.',
    'Nothing, usually: the retry writes it. If it keeps failing, look for a job that holds many opportunities (a large data load, a long Apex batch) and run it at another time.',
  ),
  ENTITY_IS_DELETED: record(
    'The Salesforce record was deleted meanwhile',
    'dealbridge wrote to an opportunity that was deleted (it is in the recycle bin) between the moment the change was read and the write. Nothing is written; the delete itself reaches the deal through the delete policy.',
    'Nothing, if the delete was meant. To keep the record, undelete it in Salesforce (Recycle Bin) and `dealbridge errors retry`.',
  ),
  SALESFORCE_WRITE_REJECTED: record(
    'Salesforce refused the write',
    "Salesforce refused a write to a record for a reason without its own code here (the message carries Salesforce's status code and text, e.g. INVALID_FIELD_FOR_INSERT_UPDATE, INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY, FIELD_INTEGRITY_EXCEPTION).",
    "Read Salesforce's message: most often the integration user lacks edit access to the field or record (its profile or permission set), or the value does not fit the field; then `dealbridge errors retry`.",
  ),
  AUTH_FAILED: {
    title: 'Authentication failed',
    description:
      'Salesforce or HubSpot refused the credentials (401/403 after one token refresh): an expired or revoked token, a wrong client id or secret, missing scopes.',
    fix: 'Check SALESFORCE_CLIENT_ID / SALESFORCE_CLIENT_SECRET / SALESFORCE_REFRESH_TOKEN (or SALESFORCE_ACCESS_TOKEN) and HUBSPOT_ACCESS_TOKEN, and the scopes of the HubSpot private app (crm.objects.deals/contacts/companies read+write, crm.schemas.* write, crm.objects.owners.read).',
    scope: 'fatal',
    retryable: false,
    severity: 'error',
    exitCode: exitCodes.auth,
  },
  CONFIG_INVALID: {
    title: 'Configuration invalid',
    description:
      'An environment variable, a key of dealbridge.config.json or a setting has a missing or invalid value; the message names the key.',
    fix: 'Correct the named key (see README, Configuration) and run the command again.',
    scope: 'fatal',
    retryable: false,
    severity: 'error',
    exitCode: exitCodes.config,
  },
  COMPANY_MATCH_FAILED: record(
    'Company could not be matched',
    "The opportunity's account could not be linked to a HubSpot company: several companies without a salesforce_account_id share its domain, creating the company is off and none matches, or HubSpot refused the write. The deal syncs without its company and is retried.",
    'The message names the cause and its fix. Several companies share the domain: merge them in HubSpot, or set salesforce_account_id on the right one. None matches (only with createCompanies off): `dealbridge settings set createCompanies on`, or set salesforce_account_id on the company. Then `dealbridge errors retry`.',
  ),
  COMPANY_DOMAIN_SHARED: warning(
    'New company beside one linked to another account',
    "The account's website domain is the domain of a HubSpot company already linked to another Salesforce account (it carries that account's salesforce_account_id), so it is not a match, and dealbridge created a new company for this account. Common when several accounts (subsidiaries, duplicates) share a website. A warning, kept under the account's key (account:001…) and not retried.",
    'Nothing if the accounts are distinct companies. If they are one: merge the accounts in Salesforce, or merge the companies in HubSpot; the message names the company already linked and the one created.',
  ),
  ASSOCIATION_FAILED: record(
    'Association could not be written',
    'HubSpot refused to associate the deal with a contact or company (the record is gone, or the association limit is reached).',
    'Check that the contact or company still exists in HubSpot; then `dealbridge errors retry`.',
  ),
  CURSOR_TOO_OLD: {
    title: 'Deletes could not be compared',
    description:
      "dealbridge last knew of deletes longer ago than Salesforce's getDeleted keeps them (15 days), so it compares every live opportunity Id with the deals it keeps instead. This time Salesforce refused the comparison's query (the message says why), so deals of opportunities deleted meanwhile may still be live. A warning: the rest of the pass syncs as usual.",
    fix: "Nothing if the cause has passed: the comparison is tried again every hour and at every start. Otherwise fix what the Salesforce message names (for example the API user's access to Opportunity); `dealbridge verify` lists deals whose opportunity is gone. Keep the sync running more often than every 15 days to avoid the comparison.",
    scope: 'record',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.recordErrors,
  },
  PIPELINE_INVARIANT_VIOLATED: {
    title: 'Stage map breaks the won/lost invariant',
    description:
      'A Salesforce won stage maps to a HubSpot stage that is not closed with probability 1.0, a lost stage to one that is not closed with probability 0.0, or an open stage to a closed one. Rollups and HubSpot reports would count the deal wrongly.',
    fix: 'Fix the stage map (or the HubSpot stage: Settings › Objects › Deals › Pipelines), or let `dealbridge setup` create the pipelines; then run setup again.',
    scope: 'fatal',
    retryable: false,
    severity: 'error',
    exitCode: exitCodes.setup,
  },
  SETUP_REQUIRED: {
    title: 'Setup required',
    description:
      'Something the sync needs on HubSpot is missing: the salesforce_opportunity_id property, the rollup properties, a pipeline, or the owner map.',
    fix: 'Run `dealbridge setup`.',
    scope: 'fatal',
    retryable: false,
    severity: 'error',
    exitCode: exitCodes.setup,
  },
  IMPORT_RUNNING: {
    title: 'Another import is running',
    description:
      'Only one import runs at a time per state store; another process holds the import lease and checkpointed recently.',
    fix: 'Wait for it (`dealbridge import status`) or stop it; a killed import is taken over 60 s after its last checkpoint, and the next `dealbridge import` resumes it.',
    scope: 'pass',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.recordErrors,
  },
  WORKER_NEEDS_POSTGRES: {
    title: 'The worker needs Postgres',
    description:
      '`dealbridge worker` processes share a Postgres state store and its pg-boss job queues; DEALBRIDGE_DATABASE_URL names a SQLite file. Nothing was started.',
    fix: 'Point DEALBRIDGE_DATABASE_URL at Postgres (`postgres://…`) to run workers, or keep SQLite and run `dealbridge sync` or `dealbridge serve`, which need no worker.',
    scope: 'fatal',
    retryable: false,
    severity: 'error',
    exitCode: exitCodes.config,
  },
  WORKER_JOB_FAILED: {
    title: 'A worker job failed all its attempts',
    description:
      "A job of `dealbridge worker` (a sync pass, an import batch, an import's rollups) failed its first attempt and every retry. It is a dead letter: kept in the dead-letter queue and shown by `dealbridge status` and Sync health, and not tried again by itself. The message is the last attempt's error.",
    fix: 'Fix what the message names (often a remote that was down, or a budget), then `dealbridge errors retry --code WORKER_JOB_FAILED` puts the job back in its queue.',
    scope: 'pass',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.recordErrors,
  },
  STORE_UNREACHABLE: {
    title: 'State store unreachable',
    description:
      'The Postgres server of DEALBRIDGE_DATABASE_URL refused the connection, is not there, or accepted it and did not answer within the connection, query or statement timeout. The message names host and port. Nothing was written.',
    fix: 'Check that Postgres runs and listens on the named host and port, and that a firewall or proxy lets the connection through (`psql "$DEALBRIDGE_DATABASE_URL" -c "select 1"`). A slow server: raise `connect_timeout` (seconds) in the database URL. Then run the command again.',
    severity: 'error',
    scope: 'fatal',
    retryable: false,
    exitCode: exitCodes.store,
  },
  STORE_BUSY: {
    title: 'State file locked by another process',
    description:
      "Another process held the SQLite state file's write lock for longer than the 5 s busy timeout: usually a second `dealbridge sync`, `serve` or `import` on the same file, or a backup tool locking it. The message names the file.",
    fix: 'Run one writer per state file (stop the other `sync`/`serve`/`import`, or give it its own DEALBRIDGE_DATABASE_URL); take backups with `sqlite3 FILE ".backup COPY"`, which does not hold the lock. Then run the command again; `status` reads while a writer runs.',
    severity: 'error',
    scope: 'fatal',
    retryable: false,
    exitCode: exitCodes.store,
  },
  STORE_CANNOT_OPEN: {
    title: 'State store cannot be opened',
    description:
      'The SQLite state file (or its folder) cannot be created or opened: a missing or unwritable folder, a path that is not a folder, no permission. For Postgres: the server refused the login, or the database does not exist. The message names the file or host.',
    fix: 'For SQLite, create the folder and give the user running dealbridge read and write access to it and to the file (`ls -l` the named path), or point DEALBRIDGE_DATABASE_URL elsewhere. For Postgres, check the user, password and database name in DEALBRIDGE_DATABASE_URL (`createdb` the database if it is missing).',
    severity: 'error',
    scope: 'fatal',
    retryable: false,
    exitCode: exitCodes.store,
  },
  STORE_READ_ONLY: {
    title: 'State file is read-only',
    description:
      'The SQLite state file, its -wal/-shm files or its folder cannot be written (read-only permissions, a read-only mount, or a file owned by another user). The message names the file.',
    fix: 'Give the user running dealbridge write access to the file and its folder (SQLite writes FILE-wal and FILE-shm beside it), or mount the volume read-write; then run the command again.',
    severity: 'error',
    scope: 'fatal',
    retryable: false,
    exitCode: exitCodes.store,
  },
  ...cdcEntries(exitCodes),
  ...connectEntries(exitCodes),
  INTERNAL: {
    title: 'Internal error',
    description: 'An unexpected error inside dealbridge: a bug. The record or pass is retried later.',
    fix: 'Report it with the output of `dealbridge errors list --json` and the log around it.',
    scope: 'record',
    retryable: true,
    severity: 'error',
    exitCode: exitCodes.internal,
  },
};

export const errorCatalogue: Readonly<Record<ErrorCode, ErrorInfo>> = Object.freeze(
  Object.fromEntries(
    Object.entries(entries).map(([code, e]) => [code, Object.freeze({ code: code as ErrorCode, ...e })]),
  ) as Record<ErrorCode, ErrorInfo>,
);

export const errorCodes: readonly ErrorCode[] = Object.freeze(Object.keys(entries) as ErrorCode[]);

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(entries, value);
}

export class DealbridgeError extends Error {
  readonly code: ErrorCode;
  /** `opportunity:006…` or the like, when the error is about one record. */
  readonly record?: string;
  /** The Salesforce field or HubSpot property at fault. */
  readonly field?: string;

  constructor(code: ErrorCode, message: string, opts?: { record?: string; field?: string; cause?: unknown }) {
    super(message, opts?.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DealbridgeError';
    this.code = code;
    if (opts?.record !== undefined) this.record = opts.record;
    if (opts?.field !== undefined) this.field = opts.field;
  }

  get info(): ErrorInfo {
    return errorCatalogue[this.code];
  }

  get exitCode(): number {
    return this.info.exitCode;
  }
}

export function isDealbridgeError(e: unknown): e is DealbridgeError {
  return e instanceof DealbridgeError;
}

export {
  httpErrorCatalogue,
  httpErrorCodes,
  isHttpErrorCode,
  type HttpErrorCode,
  type HttpErrorInfo,
} from './http-catalogue.js';
