// The Connections page's English messages (a part of en.ts, kept apart by size).
export const connectionsEn = {
  h1: 'Connections',
  loadingWhat: 'the connections',
  salesforce: {
    h: 'Salesforce',
    fromConfig:
      'Salesforce credentials come from the configuration (environment variables or dealbridge.config.json): they win over a connection made here.',
    connectedAs: 'Connected as',
    notConnected: 'Not connected.',
    org: 'Org ID',
    instance: 'Instance URL',
    connectedAt: 'Connected',
    lastSuccess: 'Last successful call',
    loginKind: 'Log in at',
    production: 'Production (login.salesforce.com)',
    sandbox: 'Sandbox (test.salesforce.com)',
    mydomain: 'My Domain',
    myDomainUrl: 'My Domain URL',
    clientId: 'Consumer key (client id)',
    clientSecret: 'Consumer secret (client secret)',
    secretStored: 'stored; leave empty to keep it',
    callback: "The connected app's Callback URL must be:",
    connect: 'Connect Salesforce',
    reconnect: 'Reconnect',
    check: 'Check connection',
    disconnect: 'Disconnect',
    redirecting: 'Opening the Salesforce login…',
    connected: 'Salesforce is connected.',
    checked: 'The connection answers.',
    disconnected:
      'Disconnected: the tokens are revoked and forgotten. The app credentials are kept for Reconnect.',
    failed: 'Salesforce was not connected.',
  },
  hubspot: {
    h: 'HubSpot',
    fromConfig:
      'The HubSpot token comes from the configuration (HUBSPOT_ACCESS_TOKEN or dealbridge.config.json): it wins over a token connected here.',
    connectedTo: 'Connected to portal',
    notConnected: 'Not connected.',
    tier: 'Tier (from its daily API limit)',
    tierUnknown: 'unknown',
    scopes: 'Scopes',
    scopesAll: 'Every scope dealbridge needs is granted.',
    scopesUnknown: 'Not read yet (connected before scopes were checked): connect the token again.',
    scopesMissing: 'Missing scopes',
    scopesFix:
      'In HubSpot › Settings › Integrations › Private apps › your app › Scopes: tick these scopes, Commit changes, then connect the token again.',
    token: 'Private app access token',
    tokenHint:
      "HubSpot › Settings › Integrations › Private apps › your app › Auth: the app's access token. It is checked against the portal at once.",
    connect: 'Connect HubSpot',
    disconnect: 'Disconnect',
    connected: 'HubSpot is connected.',
    disconnected:
      'Disconnected: the token is forgotten. Delete or rotate it in the private app if it is no longer needed.',
  },
};
