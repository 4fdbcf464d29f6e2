// Connecting a Salesforce org (issue #16): the OAuth 2.0 web-server flow with PKCE, for the web
// UI's "Connect Salesforce" and `dealbridge connect salesforce` alike. `start` remembers the
// sign-in (its state, PKCE verifier and redirect URI) in memory for 10 minutes and gives the URL
// of Salesforce's authorize page; `finish` takes the callback's query: the state must be one this
// process started and not finished (single use), the code is exchanged with its verifier, the
// identity read, and the refresh token, instance URL and client secret stored sealed (src/secrets).
// The connected app's client id and secret are entered once and kept across Disconnect.
import { DealbridgeError } from '../errors/index.js';
import { exchangeCode, readIdentity, refreshAccess, revokeToken } from '../salesforce/oauth.js';
import type { SecretVault } from '../secrets/vault.js';
import { challengeOf, newState, newVerifier } from './pkce.js';

export const FLOW_TTL_MS = 10 * 60 * 1000;
export const DEFAULT_CONNECTION = 'default';

export interface SalesforceDetails {
  loginUrl: string;
  clientId: string;
  instanceUrl?: string;
  /** The identity URL the token answer gave (`…/id/ORGID/USERID`). */
  idUrl?: string;
  organizationId?: string;
  userId?: string;
  username?: string;
  displayName?: string;
  scope?: string;
  connectedAt?: string;
  lastSuccessAt?: string;
}

export interface SalesforceSecrets {
  clientSecret: string;
  refreshToken?: string;
  accessToken?: string;
}

export interface SalesforceApp {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

/** What the UI, the CLI and doctor show. */
export interface SalesforceConnectionStatus {
  /** `configuration`: credentials from the environment or config file, which win over a stored one. */
  source: 'configuration' | 'stored' | 'none';
  connected: boolean;
  loginUrl: string | null;
  clientId: string | null;
  hasClientSecret: boolean;
  organizationId: string | null;
  userId: string | null;
  username: string | null;
  displayName: string | null;
  instanceUrl: string | null;
  connectedAt: string | null;
  lastSuccessAt: string | null;
}

interface Flow extends SalesforceApp {
  redirectUri: string;
  verifier: string;
  startedAt: number;
}

export interface CallbackQuery {
  state?: string | undefined;
  code?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
}

type Stored = { details: SalesforceDetails; secrets: SalesforceSecrets };

export class SalesforceConnect {
  readonly #flows = new Map<string, Flow>();

  constructor(
    private readonly vault: SecretVault,
    private readonly opts: { configured: boolean; now?: () => number; connection?: string } = {
      configured: false,
    },
  ) {}

  get #connection(): string {
    return this.opts.connection ?? DEFAULT_CONNECTION;
  }
  #now(): number {
    return (this.opts.now ?? Date.now)();
  }

  async #stored(): Promise<Stored | undefined> {
    return this.vault.read<SalesforceDetails, SalesforceSecrets>(this.#connection, 'salesforce');
  }

  /** The connected app's credentials: given ones are stored (the secret may be left out to keep the stored one). */
  async saveApp(app: {
    loginUrl: string;
    clientId: string;
    clientSecret?: string | undefined;
  }): Promise<SalesforceApp> {
    const stored = await this.#stored();
    const clientSecret = app.clientSecret ?? stored?.secrets.clientSecret;
    if (!clientSecret)
      throw new DealbridgeError(
        'CONFIG_INVALID',
        'client secret: missing (the consumer secret of the connected app)',
        {
          field: 'clientSecret',
        },
      );
    // Another app or org: the stored tokens belong to the old one and are dropped.
    const same = stored?.details.clientId === app.clientId && stored.details.loginUrl === app.loginUrl;
    await this.vault.save(
      this.#connection,
      'salesforce',
      same
        ? { ...stored.details, loginUrl: app.loginUrl, clientId: app.clientId }
        : { loginUrl: app.loginUrl, clientId: app.clientId },
      same ? { ...stored.secrets, clientSecret } : { clientSecret },
    );
    return { loginUrl: app.loginUrl, clientId: app.clientId, clientSecret };
  }

  /** Starts a sign-in: the authorize URL to send the browser to. */
  async start(
    redirectUri: string,
    app?: { loginUrl: string; clientId?: string; clientSecret?: string },
  ): Promise<{ authorizeUrl: string; state: string }> {
    let ready: SalesforceApp;
    const stored = await this.#stored();
    const clientId = app?.clientId ?? stored?.details.clientId;
    const loginUrl = app?.loginUrl ?? stored?.details.loginUrl;
    if (!clientId || !loginUrl)
      throw new DealbridgeError(
        'CONFIG_INVALID',
        "client id: missing (the consumer key of the admin's connected app)",
        {
          field: 'clientId',
        },
      );
    if (
      app?.clientSecret !== undefined ||
      clientId !== stored?.details.clientId ||
      loginUrl !== stored.details.loginUrl
    )
      ready = await this.saveApp({ loginUrl, clientId, clientSecret: app?.clientSecret });
    else ready = { loginUrl, clientId, clientSecret: stored.secrets.clientSecret };
    this.#sweep();
    const state = newState();
    const verifier = newVerifier();
    this.#flows.set(state, { ...ready, redirectUri, verifier, startedAt: this.#now() });
    const url = new URL(`${ready.loginUrl}/services/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: ready.clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge: challengeOf(verifier),
      code_challenge_method: 'S256',
      scope: 'api refresh_token',
      prompt: 'login consent',
    }).toString();
    return { authorizeUrl: url.toString(), state };
  }

  #sweep(): void {
    for (const [state, flow] of this.#flows)
      if (flow.startedAt + FLOW_TTL_MS <= this.#now()) this.#flows.delete(state);
  }

  /** Whether a sign-in with this state is waiting (the CLI's callback server ignores other requests). */
  isPending(state: string | undefined): boolean {
    return state !== undefined && this.#flows.has(state);
  }

  /** The callback: checks the state (once), exchanges the code with its verifier, stores the connection. */
  async finish(q: CallbackQuery): Promise<SalesforceConnectionStatus> {
    this.#sweep();
    const flow = q.state === undefined ? undefined : this.#flows.get(q.state);
    if (!flow || q.state === undefined)
      throw new DealbridgeError(
        'OAUTH_STATE_MISMATCH',
        'the callback carries a state this dealbridge did not send, or one that expired or was used already; no token was taken',
      );
    this.#flows.delete(q.state);
    if (q.error !== undefined)
      throw new DealbridgeError(
        q.error === 'access_denied' ? 'OAUTH_ACCESS_DENIED' : 'AUTH_FAILED',
        `Salesforce answered ${q.error}${q.error_description ? ` (${q.error_description})` : ''}`,
      );
    if (!q.code) throw new DealbridgeError('OAUTH_CODE_REJECTED', 'the callback carries no code');
    const token = await exchangeCode({ ...flow, code: q.code, codeVerifier: flow.verifier });
    const identity = await readIdentity(token.id, token.access_token);
    const at = new Date(this.#now()).toISOString();
    await this.vault.save(
      this.#connection,
      'salesforce',
      {
        loginUrl: flow.loginUrl,
        clientId: flow.clientId,
        instanceUrl: token.instance_url,
        idUrl: token.id,
        ...identity,
        ...(token.scope ? { scope: token.scope } : {}),
        connectedAt: at,
        lastSuccessAt: at,
      } satisfies SalesforceDetails,
      {
        clientSecret: flow.clientSecret,
        refreshToken: token.refresh_token,
        accessToken: token.access_token,
      } satisfies SalesforceSecrets,
    );
    return this.status();
  }

  async status(): Promise<SalesforceConnectionStatus> {
    const stored = await this.#stored();
    const d = stored?.details;
    const connected = Boolean(stored?.secrets.refreshToken);
    return {
      source: this.opts.configured ? 'configuration' : connected ? 'stored' : 'none',
      connected,
      loginUrl: d?.loginUrl ?? null,
      clientId: d?.clientId ?? null,
      hasClientSecret: Boolean(stored?.secrets.clientSecret),
      organizationId: d?.organizationId ?? null,
      userId: d?.userId ?? null,
      username: d?.username ?? null,
      displayName: d?.displayName ?? null,
      instanceUrl: d?.instanceUrl ?? null,
      connectedAt: d?.connectedAt ?? null,
      lastSuccessAt: d?.lastSuccessAt ?? null,
    };
  }

  /** A live check: a fresh access token from the refresh token, then the identity. */
  async check(): Promise<SalesforceConnectionStatus> {
    const stored = await this.#stored();
    if (!stored?.secrets.refreshToken)
      throw new DealbridgeError('CONFIG_INVALID', 'Salesforce is not connected: connect it first', {
        field: 'salesforce',
      });
    const { details, secrets } = stored;
    const token = await refreshAccess({
      ...details,
      clientSecret: secrets.clientSecret,
      refreshToken: secrets.refreshToken!,
    });
    const identity = await readIdentity(token.id, token.access_token);
    await this.vault.save(
      this.#connection,
      'salesforce',
      {
        ...details,
        ...identity,
        instanceUrl: token.instance_url,
        lastSuccessAt: new Date(this.#now()).toISOString(),
      },
      { ...secrets, accessToken: token.access_token },
    );
    return this.status();
  }

  /** Revokes the refresh token (and with it its access tokens) and forgets them; the app's credentials stay. */
  async disconnect(): Promise<{ revoked: boolean; status: SalesforceConnectionStatus }> {
    const stored = await this.#stored();
    let revoked = false;
    if (stored?.secrets.refreshToken)
      revoked = await revokeToken(stored.details.loginUrl, stored.secrets.refreshToken);
    if (stored)
      await this.vault.save(
        this.#connection,
        'salesforce',
        { loginUrl: stored.details.loginUrl, clientId: stored.details.clientId },
        { clientSecret: stored.secrets.clientSecret },
      );
    return { revoked, status: await this.status() };
  }

  /** What the runtime connects with when the configuration gives no Salesforce credentials. */
  async credentials(): Promise<(SalesforceApp & { refreshToken: string; instanceUrl?: string }) | undefined> {
    const stored = await this.#stored();
    if (!stored?.secrets.refreshToken) return undefined;
    return {
      loginUrl: stored.details.loginUrl,
      clientId: stored.details.clientId,
      clientSecret: stored.secrets.clientSecret,
      refreshToken: stored.secrets.refreshToken,
      ...(stored.details.instanceUrl ? { instanceUrl: stored.details.instanceUrl } : {}),
    };
  }
}
