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

/** Authorization-code flow, auto-approved (there is no login page): redirects with a code at once. */
export function authorizeRoute(state: EmulatorState, url: URL): Reply {
  const q = url.searchParams;
  if (q.get('client_id') !== state.tokens.config.clientId) {
    return {
      status: 400,
      body: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
    };
  }
  const redirect = q.get('redirect_uri');
  if (!redirect || q.get('response_type') !== 'code') {
    return {
      status: 400,
      body: {
        error: 'unsupported_response_type',
        error_description: 'response_type must be code with a redirect_uri',
      },
    };
  }
  const hint = q.get('login_hint');
  const userId = (hint ? state.userByUsername(hint) : undefined) ?? state.store.apiUserId;
  const target = new URL(redirect);
  target.searchParams.set('code', state.tokens.issueCode(userId, redirect));
  const st = q.get('state');
  if (st !== null) target.searchParams.set('state', st);
  return { status: 302, headers: { Location: target.toString() } };
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
