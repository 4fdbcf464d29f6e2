// The Connections page's German messages (a part of de.ts, kept apart by size).
import type { Messages } from './en.js';

export const connectionsDe: Messages['connections'] = {
  h1: 'Verbindungen',
  loadingWhat: 'die Verbindungen',
  salesforce: {
    h: 'Salesforce',
    fromConfig:
      'Die Salesforce-Zugangsdaten kommen aus der Konfiguration (Umgebungsvariablen oder dealbridge.config.json): Sie haben Vorrang vor einer hier hergestellten Verbindung.',
    connectedAs: 'Verbunden als',
    notConnected: 'Nicht verbunden.',
    org: 'Org-ID',
    instance: 'Instanz-URL',
    connectedAt: 'Verbunden am',
    lastSuccess: 'Letzter erfolgreicher Aufruf',
    loginKind: 'Anmelden bei',
    production: 'Produktion (login.salesforce.com)',
    sandbox: 'Sandbox (test.salesforce.com)',
    mydomain: 'Meine Domäne',
    myDomainUrl: 'URL von „Meine Domäne“',
    clientId: 'Consumer-Schlüssel (Client-ID)',
    clientSecret: 'Consumer-Geheimnis (Client-Secret)',
    secretStored: 'gespeichert; leer lassen, um es zu behalten',
    callback: 'Die Callback-URL der verbundenen App muss lauten:',
    connect: 'Salesforce verbinden',
    reconnect: 'Neu verbinden',
    check: 'Verbindung prüfen',
    disconnect: 'Trennen',
    redirecting: 'Die Salesforce-Anmeldung wird geöffnet…',
    connected: 'Salesforce ist verbunden.',
    checked: 'Die Verbindung antwortet.',
    disconnected:
      'Getrennt: Die Tokens sind widerrufen und vergessen. Die Zugangsdaten der App bleiben für „Neu verbinden“ gespeichert.',
    failed: 'Salesforce wurde nicht verbunden.',
  },
  hubspot: {
    h: 'HubSpot',
    fromConfig:
      'Das HubSpot-Token kommt aus der Konfiguration (HUBSPOT_ACCESS_TOKEN oder dealbridge.config.json): Es hat Vorrang vor einem hier verbundenen Token.',
    connectedTo: 'Verbunden mit Portal',
    notConnected: 'Nicht verbunden.',
    tier: 'Stufe (aus dem täglichen API-Limit)',
    tierUnknown: 'unbekannt',
    scopes: 'Scopes',
    scopesAll: 'Alle Scopes, die dealbridge braucht, sind gewährt.',
    scopesUnknown:
      'Noch nicht gelesen (verbunden, bevor Scopes geprüft wurden): Verbinden Sie das Token erneut.',
    scopesMissing: 'Fehlende Scopes',
    scopesFix:
      'In HubSpot unter Einstellungen › Integrationen › Private Apps › Ihre App › Scopes diese Scopes ankreuzen, Änderungen übernehmen und das Token erneut verbinden.',
    token: 'Zugriffstoken der privaten App',
    tokenHint:
      'HubSpot › Einstellungen › Integrationen › Private Apps › Ihre App › Authentifizierung: das Zugriffstoken der App. Es wird sofort beim Portal geprüft.',
    connect: 'HubSpot verbinden',
    disconnect: 'Trennen',
    connected: 'HubSpot ist verbunden.',
    disconnected:
      'Getrennt: Das Token ist vergessen. Löschen oder erneuern Sie es in der privaten App, wenn es nicht mehr gebraucht wird.',
  },
};
