// Connecting HubSpot with a private-app token pasted in the web UI or given to `dealbridge connect
// hubspot --token` (issue #16). The token is checked at once with one cheap call (account info:
// the portal id; the rate-limit headers give the daily limit, and so the tier) before it is
// stored, sealed; a refused token stores nothing. Private-app tokens cannot be revoked through
// HubSpot's API (they are rotated or deleted in the app's settings), so Disconnect forgets it.
// Its scopes are read with HubSpot's token introspection and those dealbridge needs but lacks are
// named. HubSpot's OAuth flow for public apps is not built yet.
import { tierOfDailyMax } from '../composition/doctor.js';
import type { HubspotPort } from '../engine/ports/remote.js';
import type { SecretVault } from '../secrets/vault.js';
import { missingScopes } from '../hubspot/scopes.js';
import { DEFAULT_CONNECTION } from './salesforce.js';

export interface HubspotDetails {
  portalId: number;
  tier: string | null;
  dailyMax: number | null;
  /** The token's scopes as HubSpot's introspection answered them at connect (absent: stored before). */
  scopes?: string[];
  connectedAt: string;
  lastSuccessAt: string;
}

interface HubspotSecrets {
  privateAppToken: string;
}

export interface HubspotConnectionStatus {
  /** `configuration`: HUBSPOT_ACCESS_TOKEN (or the config file), which wins over a stored token. */
  source: 'configuration' | 'stored' | 'none';
  connected: boolean;
  portalId: number | null;
  tier: string | null;
  /** The token's scopes, and those dealbridge needs that it lacks (null: not known). */
  scopes: string[] | null;
  missingScopes: string[] | null;
  connectedAt: string | null;
  lastSuccessAt: string | null;
}

export type HubspotFactory = (token: string) => Promise<HubspotPort & { close?: () => void | Promise<void> }>;

export class HubspotConnect {
  constructor(
    private readonly vault: SecretVault,
    private readonly opts: {
      configured: boolean;
      create: HubspotFactory;
      /** The token's scopes (HubSpot's private-app token introspection). */
      introspect: (token: string) => Promise<string[]>;
      connection?: string;
    },
  ) {}

  get #connection(): string {
    return this.opts.connection ?? DEFAULT_CONNECTION;
  }

  /** Checks the token against the portal, then stores it; a refused token changes nothing. */
  async connectToken(token: string): Promise<HubspotConnectionStatus> {
    const hubspot = await this.opts.create(token.trim());
    try {
      const account = await hubspot.accountInfo();
      const dailyMax = hubspot.usage().dailyMax;
      const scopes = await this.opts.introspect(token.trim());
      const at = new Date().toISOString();
      await this.vault.save(
        this.#connection,
        'hubspot',
        {
          portalId: account.portalId,
          tier: tierOfDailyMax(dailyMax),
          dailyMax: dailyMax ?? null,
          scopes,
          connectedAt: at,
          lastSuccessAt: at,
        } satisfies HubspotDetails,
        { privateAppToken: token.trim() } satisfies HubspotSecrets,
      );
    } finally {
      await hubspot.close?.();
    }
    return this.status();
  }

  async status(): Promise<HubspotConnectionStatus> {
    const stored = await this.vault.read<HubspotDetails, HubspotSecrets>(this.#connection, 'hubspot');
    const d = stored?.details;
    return {
      source: this.opts.configured ? 'configuration' : stored ? 'stored' : 'none',
      connected: Boolean(stored),
      portalId: d?.portalId ?? null,
      tier: d?.tier ?? null,
      scopes: d?.scopes ?? null,
      missingScopes: d?.scopes ? missingScopes(d.scopes) : null,
      connectedAt: d?.connectedAt ?? null,
      lastSuccessAt: d?.lastSuccessAt ?? null,
    };
  }

  async disconnect(): Promise<HubspotConnectionStatus> {
    await this.vault.forget(this.#connection, 'hubspot');
    return this.status();
  }

  /** The stored token, for the runtime when the configuration gives none. */
  async token(): Promise<string | undefined> {
    return (await this.vault.read<HubspotDetails, HubspotSecrets>(this.#connection, 'hubspot'))?.secrets
      .privateAppToken;
  }
}
