// The HTTP API's own codes, for requests the server refuses before any engine work: the `error`
// field of a 4xx answer. A request that fails for a reason in the main catalogue (catalogue.ts)
// answers with that code instead (IMPORT_RUNNING with 409, a remote system's failure with 502,
// INTERNAL with 500). Lower case, as the API has always sent them, so they cannot be mistaken for
// a stored record's code.

export type HttpErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'too_many_attempts'
  | 'csrf'
  | 'cross_origin'
  | 'not_found'
  | 'incompatible'
  | 'metrics_unauthorized'
  | 'metrics_loopback_only'
  | 'webhook_unauthorized';

export interface HttpErrorInfo {
  code: HttpErrorCode;
  /** The HTTP status the server answers with. */
  status: number;
  title: string;
  /** What it means. */
  description: string;
  /** How the caller fixes it. */
  fix: string;
}

const httpEntries: Record<HttpErrorCode, Omit<HttpErrorInfo, 'code'>> = {
  bad_request: {
    status: 400,
    title: 'Request not accepted',
    description:
      "The request's body or path is not what the route accepts: a field is missing, has the wrong type or a value the route refuses (an unknown stage, a rule that cannot change). The answer's `field` names the field and `reason` says why. A body over 100 KiB (4 KiB for the login routes) answers 413 and one that is not JSON 415, with the same code.",
    fix: 'Send the field the answer names with a value of the kind its reason asks for; the pages of the web UI send every route its fields.',
  },
  unauthorized: {
    status: 401,
    title: 'Not logged in',
    description:
      'The request carries no valid session cookie, or the admin token presented at login is wrong. Every route but the login routes needs a session.',
    fix: 'Log in with the admin token (`adminToken` in the config file or DEALBRIDGE_ADMIN_TOKEN): open /login, or POST /api/login with {"token": "…"} and keep the session cookie.',
  },
  too_many_attempts: {
    status: 429,
    title: 'Too many wrong tokens',
    description:
      'This client address sent more wrong admin tokens than the login allows without delay (5); each further one doubles the wait, up to 15 minutes. While it waits, its logins are refused without the token being looked at. The answer carries Retry-After.',
    fix: 'Wait the seconds Retry-After says, then log in with the right admin token. Behind a reverse proxy, set `server.trustProxy` so that each client is counted by its own address.',
  },
  csrf: {
    status: 403,
    title: 'CSRF token missing or wrong',
    description:
      "A request that changes something (POST, PUT, PATCH, DELETE) did not carry the session's CSRF token in its x-csrf-token header.",
    fix: 'Read `csrfToken` from the answer of POST /api/login or GET /api/session and send it as the x-csrf-token header of every change.',
  },
  cross_origin: {
    status: 403,
    title: 'Request from another site',
    description:
      "A request that changes something (login included) came, by its browser's Origin or Sec-Fetch-Site header, from another origin: another site, or another port of the same host. It is refused whatever it carries.",
    fix: "Use the web UI from the server's own address. Behind a reverse proxy that rewrites the Host header, set `server.trustProxy` so that the server compares with X-Forwarded-Host.",
  },
  not_found: {
    status: 404,
    title: 'Not found',
    description:
      'No route has this path, no setting has this key, or dealbridge has not seen an opportunity with this id (it has not synced, imported or previewed it).',
    fix: 'Check the path or the setting key (`dealbridge settings get` lists them); for an opportunity, sync or import it first.',
  },
  incompatible: {
    status: 422,
    title: 'Field mapping types do not agree',
    description:
      "A custom field mapping was refused before it was saved: the Salesforce field does not exist, the HubSpot property does not exist or is written by the default mapping, or the field's type cannot be written to the property's type. The message says which.",
    fix: 'Pick a field and a property whose types agree (picklist ↔ enumeration, number ↔ number, date ↔ date, text ↔ text), or create a HubSpot property of the right type first.',
  },
  metrics_unauthorized: {
    status: 401,
    title: 'Metrics token missing or wrong',
    description:
      'DEALBRIDGE_METRICS_TOKEN is set, and a request for /metrics did not carry it as `Authorization: Bearer <token>`. The web login does not open /metrics, and the token opens nothing else.',
    fix: "Give the scraper the token: in Prometheus, `authorization: { type: Bearer, credentials_file: … }` in the job's scrape config (docs/operations.md).",
  },
  metrics_loopback_only: {
    status: 403,
    title: 'Metrics served to this host only',
    description:
      'DEALBRIDGE_METRICS_TOKEN is not set, so /metrics answers only requests from a loopback address (127.0.0.0/8, ::1); behind a reverse proxy (`server.trustProxy`) the forwarded client must be one too.',
    fix: 'Scrape from the same host, or set DEALBRIDGE_METRICS_TOKEN (at least 16 characters) and send it as a bearer token.',
  },
  webhook_unauthorized: {
    status: 401,
    title: 'Webhook signature refused',
    description:
      'A POST to /webhooks/hubspot did not carry a valid X-HubSpot-Signature-v3 for HUBSPOT_CLIENT_SECRET (missing, wrong, or made with another secret), its X-HubSpot-Request-Timestamp is more than 5 minutes away, or the same signed delivery came a second time (a replay). Nothing of it is processed, and its body is not logged.',
    fix: "Set HUBSPOT_CLIENT_SECRET to the client secret of the HubSpot app whose webhooks call this URL (the app's Auth settings), keep the server's clock right (NTP), and make sure a reverse proxy passes the URL HubSpot called unchanged (the signature covers it; set `server.trustProxy` so that X-Forwarded-Proto and the Host are used).",
  },
};

export const httpErrorCatalogue: Readonly<Record<HttpErrorCode, HttpErrorInfo>> = Object.freeze(
  Object.fromEntries(
    Object.entries(httpEntries).map(([code, e]) => [
      code,
      Object.freeze({ code: code as HttpErrorCode, ...e }),
    ]),
  ) as Record<HttpErrorCode, HttpErrorInfo>,
);

export const httpErrorCodes: readonly HttpErrorCode[] = Object.freeze(
  Object.keys(httpEntries) as HttpErrorCode[],
);

export function isHttpErrorCode(value: string): value is HttpErrorCode {
  return Object.hasOwn(httpEntries, value);
}
