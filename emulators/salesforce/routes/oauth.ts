// /services/oauth2/* and the identity URL (/id/{orgId}/{userId}).
import type { IncomingMessage } from 'node:http';
import type { EmulatorState } from '../state.js';
import type { Reply } from '../http.js';
import { apiError } from '../errors.js';

export function tokenRoute(state: EmulatorState, req: IncomingMessage, raw: string): Reply {
  const params = new URLSearchParams(raw);
  const r = state.tokens.grant(params, req.headers.authorization, state.baseUrl, {
    orgId: state.store.orgId,
    apiUserId: state.store.apiUserId,
    userByUsername: (u) => state.userByUsername(u),
  });
  return {
    status: r.status,
    body: r.body,
    headers: { 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private' },
  };
}

export function revokeRoute(state: EmulatorState, raw: string, url: URL): Reply {
  const token = new URLSearchParams(raw).get('token') ?? url.searchParams.get('token') ?? '';
  return state.tokens.revoke(token)
    ? { status: 200 }
    : {
        status: 400,
        body: { error: 'unsupported_token_type', error_description: 'this token type is not supported' },
      };
}

/** GET /services/oauth2/userinfo: the token user in OpenID Connect's claims, Salesforce's extras beside. */
export function userInfoRoute(state: EmulatorState, userId: string): Reply {
  const identity = identityRoute(state, userId).body as Record<string, unknown>;
  const user = state.store.get('User', userId)!;
  return {
    status: 200,
    body: {
      sub: identity.id,
      user_id: userId,
      organization_id: state.store.orgId,
      preferred_username: user.Username,
      nickname: user.Alias,
      name: user.Name,
      email: user.Email,
      email_verified: true,
      given_name: user.FirstName,
      family_name: user.LastName,
      zoneinfo: 'Europe/Berlin',
      profile: `${state.baseUrl}/${userId}`,
      urls: identity.urls,
      active: user.IsActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
    },
  };
}

export function identityRoute(state: EmulatorState, userId: string, version = '62.0'): Reply {
  const user = state.store.get('User', userId);
  if (!user) throw apiError(404, 'NOT_FOUND', 'Bad_Id');
  const base = state.baseUrl;
  const orgId = state.store.orgId;
  const urls = {
    enterprise: `${base}/services/Soap/c/${version}/${orgId}`,
    partner: `${base}/services/Soap/u/${version}/${orgId}`,
    rest: `${base}/services/data/v${version}/`,
    sobjects: `${base}/services/data/v${version}/sobjects/`,
    query: `${base}/services/data/v${version}/query/`,
    profile: `${base}/${userId}`,
  };
  return {
    status: 200,
    body: {
      id: `${base}/id/${orgId}/${userId}`,
      asserted_user: true,
      user_id: userId,
      organization_id: orgId,
      username: user.Username,
      nick_name: user.Alias,
      display_name: user.Name,
      email: user.Email,
      email_verified: true,
      first_name: user.FirstName,
      last_name: user.LastName,
      active: user.IsActive,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      urls,
    },
  };
}
