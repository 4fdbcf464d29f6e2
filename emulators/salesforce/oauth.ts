// OAuth 2.0 token endpoint and token bookkeeping. Access tokens look like Salesforce's
// (`<orgId15>!<random>`), expire after a TTL on the emulator clock, and can all be expired at once
// (admin API / faults). Refresh tokens never expire until revoked or the org is reset; revoking
// one revokes the access tokens issued from it (Salesforce's revoke endpoint does the same).
// Authorization codes are single-use, live 15 minutes, remember their redirect URI and PKCE
// challenge (always SHA-256, base64url: the only method Salesforce documents).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

export interface TokenInfo {
  userId: string;
  issuedAt: number;
  expiresAt: number;
  /** The refresh token it was issued from, if any (revoked with it). */
  refreshToken?: string;
}

/** How long an authorization code can be exchanged. */
export const CODE_TTL_MS = 15 * 60 * 1000;

interface IssuedCode {
  userId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  issuedAt: number;
}

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Password accepted for every active user in the password grant (plus an optional security token suffix). */
  password: string;
  tokenTtlSeconds: number;
}

export interface OAuthOrg {
  orgId: string;
  /** Active user id by username (case-insensitive), for the password grant. */
  userByUsername(username: string): string | undefined;
  apiUserId: string;
}

export interface TokenResult {
  status: number;
  body: Record<string, string>;
}

function oauthError(error: string, description: string, status = 400): TokenResult {
  return { status, body: { error, error_description: description } };
}

export class TokenStore {
  private readonly access = new Map<string, TokenInfo>();
  private readonly refresh = new Map<string, string>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly clock: Clock,
    readonly config: OAuthConfig,
  ) {}

  private newToken(orgId: string): string {
    return `${orgId.slice(0, 15)}!${randomBytes(36).toString('base64url')}`;
  }

  issueAccess(orgId: string, userId: string, refreshToken?: string): { token: string; info: TokenInfo } {
    const now = this.clock.now();
    const info: TokenInfo = {
      userId,
      issuedAt: now,
      expiresAt: now + this.config.tokenTtlSeconds * 1000,
      ...(refreshToken ? { refreshToken } : {}),
    };
    const token = this.newToken(orgId);
    this.access.set(token, info);
    return { token, info };
  }

  issueRefresh(orgId: string, userId: string): string {
    const token = `5Aep${randomBytes(40).toString('base64url')}`;
    void orgId;
    this.refresh.set(token, userId);
    return token;
  }

  issueCode(userId: string, redirectUri: string, codeChallenge?: string): string {
    const code = `aPrx${randomBytes(24).toString('base64url')}`;
    this.codes.set(code, { userId, redirectUri, codeChallenge, issuedAt: this.clock.now() });
    return code;
  }

  /** The token's user, or undefined when unknown or expired. */
  check(token: string): TokenInfo | undefined {
    const info = this.access.get(token);
    if (!info) return undefined;
    if (info.expiresAt <= this.clock.now()) {
      this.access.delete(token);
      return undefined;
    }
    return info;
  }

  expireAll(): number {
    const n = this.access.size;
    this.access.clear();
    return n;
  }

  /** Revokes an access token, or a refresh token and every access token issued from it. */
  revoke(token: string): boolean {
    if (this.access.delete(token)) return true;
    if (!this.refresh.delete(token)) return false;
    for (const [t, info] of this.access) if (info.refreshToken === token) this.access.delete(t);
    return true;
  }

  /** Every refresh token (and what was issued from it) revoked: the admin revoking all OAuth access. */
  revokeAllRefresh(): number {
    const n = this.refresh.size;
    for (const t of [...this.refresh.keys()]) this.revoke(t);
    return n;
  }

  clear(): void {
    this.access.clear();
    this.refresh.clear();
    this.codes.clear();
  }

  get activeAccessTokens(): number {
    return this.access.size;
  }

  /** Handles POST /services/oauth2/token (form-encoded parameters, client auth in body or Basic). */
  grant(params: URLSearchParams, basicAuth: string | undefined, baseUrl: string, org: OAuthOrg): TokenResult {
    let clientId = params.get('client_id') ?? undefined;
    let clientSecret = params.get('client_secret') ?? undefined;
    if (basicAuth?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(basicAuth.slice(6), 'base64').toString('utf8').split(':');
      clientId ??= id;
      clientSecret ??= secret;
    }
    const grantType = params.get('grant_type');
    if (!grantType) return oauthError('unsupported_grant_type', 'grant type not supported');
    if (clientId !== this.config.clientId)
      return oauthError('invalid_client_id', 'client identifier invalid');
    const secretOk = clientSecret === this.config.clientSecret;
    let userId: string;
    let withRefresh = false;
    let fromRefresh: string | undefined;
    switch (grantType) {
      case 'client_credentials':
        if (!secretOk) return oauthError('invalid_client', 'invalid client credentials');
        userId = org.apiUserId;
        break;
      case 'password': {
        if (!secretOk) return oauthError('invalid_client', 'invalid client credentials');
        const user = org.userByUsername(params.get('username') ?? '');
        const password = params.get('password') ?? '';
        if (!user || !password.startsWith(this.config.password))
          return oauthError('invalid_grant', 'authentication failure');
        userId = user;
        break;
      }
      case 'refresh_token': {
        // Salesforce accepts a refresh without the secret for some app settings; we require it only if sent.
        if (clientSecret !== undefined && !secretOk)
          return oauthError('invalid_client', 'invalid client credentials');
        const user = this.refresh.get(params.get('refresh_token') ?? '');
        if (!user) return oauthError('invalid_grant', 'expired access/refresh token');
        userId = user;
        fromRefresh = params.get('refresh_token') ?? undefined;
        break;
      }
      case 'authorization_code': {
        if (!secretOk) return oauthError('invalid_client', 'invalid client credentials');
        const code = this.codes.get(params.get('code') ?? '');
        // Used once: a replayed code finds nothing, whatever the outcome of its first exchange.
        this.codes.delete(params.get('code') ?? '');
        if (!code || code.issuedAt + CODE_TTL_MS <= this.clock.now())
          return oauthError('invalid_grant', 'invalid authorization code');
        if (params.get('redirect_uri') !== code.redirectUri)
          return oauthError('invalid_grant', 'redirect_uri must match configuration');
        if (code.codeChallenge !== undefined) {
          const verifier = params.get('code_verifier') ?? '';
          const hash = createHash('sha256').update(verifier).digest('base64url');
          if (hash !== code.codeChallenge) return oauthError('invalid_grant', 'invalid code verifier');
        }
        userId = code.userId;
        withRefresh = true;
        break;
      }
      default:
        return oauthError('unsupported_grant_type', 'grant type not supported');
    }
    const refreshToken = withRefresh ? this.issueRefresh(org.orgId, userId) : undefined;
    const { token, info } = this.issueAccess(org.orgId, userId, refreshToken ?? fromRefresh);
    const id = `${baseUrl}/id/${org.orgId}/${userId}`;
    const issuedAt = String(info.issuedAt);
    const body: Record<string, string> = {
      access_token: token,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      signature: createHmac('sha256', this.config.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: withRefresh || grantType === 'refresh_token' ? 'refresh_token api full' : 'api full',
      instance_url: baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
    return { status: 200, body };
  }
}
