// The error catalogue in German: title, meaning and fix of every code of catalogue.ts, for the
// web UI in German (web/src/i18n/errors.ts) and the German half of docs/errors.md (a test keeps
// the three in step). Pure data, so the browser bundle can take it as it is. Commands, settings,
// property names and codes stay as they are typed; HubSpot's German menu names are used for its
// menus (Einstellungen › Eigenschaften).
import type { ErrorCode, HttpErrorCode } from './catalogue.js';

export interface ErrorTexts {
  title: string;
  description: string;
  fix: string;
}

export const germanErrorTexts: Readonly<Record<ErrorCode, ErrorTexts>> = {
  OWNER_NOT_FOUND: {
    title: 'Opportunity-Eigentümer hat keinen HubSpot-Eigentümer',
    description:
      'Der Eigentümer der Opportunity (ein Salesforce-Benutzer) hat keinen HubSpot-Eigentümer mit derselben E-Mail-Adresse, oder HubSpot hat den Eigentümer abgelehnt, den dealbridge zugeordnet hatte (INVALID_OWNER_ID: der Eigentümer wurde entfernt; dealbridge liest dann die Eigentümer von HubSpot neu). Der Deal wird trotzdem synchronisiert, ohne Eigentümer oder mit dem Ersatz-Eigentümer (Einstellung fallbackOwnerId); eine Warnung, die nicht von selbst wiederholt wird.',
    fix: 'Laden Sie den Benutzer mit derselben E-Mail-Adresse wie in Salesforce zu HubSpot ein (oder korrigieren Sie die E-Mail-Adresse auf einer Seite), oder legen Sie einen Ersatz-Eigentümer fest: `dealbridge settings set fallbackOwnerId <HubSpot owner id>`; führen Sie dann `dealbridge setup` aus, um die Eigentümerzuordnung zu aktualisieren (dadurch werden diese Datensätze wieder fällig).',
  },
  STAGE_NOT_MAPPED: {
    title: 'Opportunity-Phase hat keine HubSpot-Deal-Phase',
    description:
      'Die Phase der Opportunity (für ihren Datensatztyp) ist keiner Phase einer HubSpot-Deal-Pipeline zugeordnet, daher kann der Deal nicht eingeordnet werden und wird nicht geschrieben. Mit `autoProvision` an (Standard) legt die Synchronisierung fehlende Pipelines und Phasen selbst an; dieser Fehler bedeutet dann, dass sie es nicht konnte (die Meldung sagt warum: `autoProvision` ist aus, HubSpot hat die Pipeline oder Phase abgelehnt, oder die Phasenzuordnung wurde vom Benutzer bearbeitet).',
    fix: 'Führen Sie `dealbridge setup` aus: Es legt die fehlende Pipeline oder Phase an und wiederholt die fehlgeschlagenen Datensätze (oder schalten Sie die automatische Anlage wieder ein mit `dealbridge settings set autoProvision on`). Wurde die Phasenzuordnung in der Weboberfläche bearbeitet, ordnen Sie die Phase stattdessen dort einer HubSpot-Phase zu.',
  },
  INVALID_PICKLIST: {
    title: 'Auswahllistenwert hat keine HubSpot-Option',
    description:
      'Ein Wert einer Salesforce-Auswahlliste hat keine passende Option in der HubSpot-Aufzählungseigenschaft, der er zugeordnet ist. Für `Type` (in den meisten Organisationen eine offene Auswahlliste) ist das eine Warnung: Der Deal wird ohne `dealtype` synchronisiert und nicht von selbst wiederholt. Für eine eigene Zuordnung einer Auswahlliste ist es ein Fehler: Der Deal wird zurückgehalten und wiederholt.',
    fix: 'Für Type: Fügen Sie die fehlenden Werte als Optionen von `dealtype` in HubSpot hinzu mit `dealbridge setup --add-dealtype-options`, oder ordnen Sie einen Wert einer vorhandenen Option zu mit `dealbridge settings set typeValueMap \'{"Legacy Deal":"newbusiness"}\'` (oder auf der Einstellungsseite der Weboberfläche); dann `dealbridge errors retry --code INVALID_PICKLIST`. Für eine eigene Zuordnung: Fügen Sie die Option zu dieser HubSpot-Eigenschaft hinzu (Einstellungen › Eigenschaften), dann `dealbridge errors retry`.',
  },
  VALUE_TOO_LONG: {
    title: 'Wert länger als HubSpot erlaubt',
    description:
      'Ein Textwert ist länger, als die HubSpot-Eigenschaft annimmt (65.536 Zeichen für eine Texteigenschaft).',
    fix: 'Kürzen Sie den Wert in Salesforce, oder synchronisieren Sie dieses Feld für den Datensatz nicht mehr; die nächste Änderung synchronisiert ihn erneut.',
  },
  CURRENCY_NOT_ENABLED: {
    title: 'Währung der Opportunity ist in HubSpot nicht aktiviert',
    description:
      'Die Währung der Opportunity (CurrencyIsoCode, Organisationen mit mehreren Währungen) ist keine der im HubSpot-Portal aktivierten Währungen, daher kann der Deal sie nicht tragen.',
    fix: 'Fügen Sie die Währung in HubSpot hinzu (Einstellungen › Kontostandards › Währung), dann `dealbridge errors retry`.',
  },
  CURRENCY_MISMATCH: {
    title: 'Deal-Betrag ist in einer anderen Währung als seine Opportunity',
    description:
      'Ein HubSpot-Benutzer hat den Betrag eines Deals geändert (Regel Two-way), während die Währung des Deals (deal_currency_code) von CurrencyIsoCode seiner Opportunity abweicht. Ein Betrag geht nur in der eigenen Währung der Opportunity und auf den Cent genau nach Salesforce zurück; daher wird von diesem Deal nichts geschrieben, die übrigen Datensätze schon.',
    fix: 'Stellen Sie in HubSpot die Währung des Deals wieder auf die der Opportunity (oder ändern Sie die Währung der Opportunity in Salesforce); die nächste HubSpot-Änderung des Deals oder `dealbridge errors retry` schreibt ihn.',
  },
  REQUIRED_VALUE_MISSING: {
    title: 'Pflichtwert fehlt',
    description:
      'Ein Wert, den HubSpot für einen Deal verlangt (der Deal-Name, eine Pipeline oder Phase), ist leer.',
    fix: 'Füllen Sie das Feld in der Salesforce-Opportunity aus; die nächste Änderung synchronisiert sie erneut.',
  },
  INVALID_VALUE: {
    title: 'Wert kann nicht umgewandelt werden',
    description:
      'Ein Salesforce-Wert kann nicht in seine HubSpot-Eigenschaft geschrieben werden: falscher Typ für eine eigene Zuordnung, eine fehlerhafte Zahl oder ein fehlerhaftes Datum; oder der Betrag einer Opportunity kann für die Kennzahlen eines Kontakts oder Unternehmens nicht in die Währung des Portals umgerechnet werden, weil Salesforce keinen Umrechnungskurs für ihre Währung hat (an ihrem Abschlussdatum, mit erweiterter Währungsverwaltung).',
    fix: 'Korrigieren Sie den Wert in Salesforce oder ändern Sie die Feldzuordnung, sodass die Typen zusammenpassen (Auswahlliste ↔ Aufzählung, Zahl ↔ Zahl, Datum ↔ Datum, Text ↔ Text). Fehlt ein Umrechnungskurs: Legen Sie ihn in Salesforce an (Setup › Währungen verwalten; mit erweiterter Währungsverwaltung einen datierten Kurs, der das Abschlussdatum der Opportunity abdeckt), dann `dealbridge errors retry`.',
  },
  HUBSPOT_VALIDATION: {
    title: 'HubSpot hat den Datensatz abgelehnt',
    description:
      'HubSpot hat die Werte dieses Datensatzes abgelehnt (HTTP 400 VALIDATION_ERROR); die Meldung nennt die Eigenschaft und den Grund.',
    fix: 'Korrigieren Sie die genannte Eigenschaft oder ihren Wert (in Salesforce, oder die Eigenschaftsdefinition in HubSpot), dann `dealbridge errors retry`.',
  },
  HUBSPOT_CONFLICT: {
    title: 'HubSpot meldet einen Konflikt',
    description:
      'HubSpot hat den Schreibvorgang mit HTTP 409 abgelehnt, meist weil ein anderer Datensatz bereits einen eindeutigen Wert trägt (salesforce_opportunity_id, salesforce_account_id, eine Unternehmensdomain).',
    fix: 'Suchen Sie den HubSpot-Datensatz, der den Wert trägt (Suche nach dem Wert), führen Sie ihn zusammen oder leeren Sie ihn, dann `dealbridge errors retry`.',
  },
  HUBSPOT_RATE_LIMITED: {
    title: 'HubSpot-Ratenlimit erreicht',
    description:
      'HubSpot hat öfter mit 429 geantwortet, als die Wiederholungen auffangen konnten, oder das Tageskontingent des Portals für dealbridge ist verbraucht. Der Durchlauf stoppt und setzt später fort; nichts geht verloren.',
    fix: 'Bei einem kurzfristigen Limit ist nichts zu tun. Beim Tageslimit erhöhen Sie die Einstellung des Kontingents, oder lassen Sie eine andere Integration weniger Aufrufe machen; die Synchronisierung setzt von selbst fort.',
  },
  HUBSPOT_UNAVAILABLE: {
    title: 'HubSpot nicht erreichbar',
    description:
      'HubSpot hat nach Wiederholungen mit 5xx oder nicht rechtzeitig geantwortet. Der Durchlauf stoppt und setzt später fort.',
    fix: 'Nichts zu tun, außer es hält an: Prüfen Sie status.hubspot.com und die Einstellung HUBSPOT_BASE_URL.',
  },
  HUBSPOT_BAD_RESPONSE: {
    title: 'HubSpot-Antwort nicht lesbar',
    description:
      'HubSpot hat etwas geantwortet, das dealbridge nicht lesen kann: einen Inhalt, der kein JSON ist (die HTML-Seite eines Proxys, ein mittendrin abgeschnittener Inhalt), eine beim Lesen abgebrochene Antwort oder JSON, das nicht dem dokumentierten API entspricht. Es wird sofort wie ein 5xx wiederholt; bringen die Wiederholungen keine lesbare Antwort, stoppt der Durchlauf, und der nächste beginnt dort, wo er stehen blieb (die Schreibvorgänge sind idempotent, ein Schreibvorgang mit verlorener Antwort wird also nicht doppelt ausgeführt). Lässt die Antwort eines Stapels eine Eingabe aus (kein Ergebnis, kein Fehler), schlägt nur dieser Datensatz fehl und wird wiederholt.',
    fix: 'Nichts zu tun, wenn es vorübergeht. Hält es an, verändert oder kürzt etwas zwischen dealbridge und HubSpot die Antworten (ein Proxy, TLS-Inspektion, eine Firewall): Die Meldung zeigt den Aufruf und den Anfang dessen, was ankam; prüfen Sie HUBSPOT_BASE_URL und diesen Weg.',
  },
  HUBSPOT_NOT_FOUND: {
    title: 'HubSpot-Datensatz nicht gefunden',
    description:
      'Ein HubSpot-Datensatz, mit dem dealbridge verknüpft war (ein Deal, Kontakt oder Unternehmen), existiert nicht mehr, z. B. weil er in HubSpot gelöscht oder zusammengeführt wurde.',
    fix: 'Meist nichts zu tun: dealbridge prüft den Datensatz, folgt einer Zusammenführung zu seinem neuen Datensatz oder vergisst die Verknüpfung und ordnet den Kontakt oder das Unternehmen neu zu (oder legt den Deal oder das Unternehmen neu an), im selben Durchlauf, und schreibt seine Verknüpfungen und Kennzahlen neu (docs/sync.md, "Records deleted or merged in HubSpot"). Bleibt der Fehler, führen Sie `dealbridge errors retry` aus.',
  },
  SALESFORCE_LIMIT_REACHED: {
    title: 'Salesforce-API-Budget verbraucht',
    description:
      'Der API-Verbrauch der Organisation (Sforce-Limit-Info) hat das für dealbridge festgelegte Budget erreicht (Standard 80 % des Tageskontingents), oder Salesforce hat mit REQUEST_LIMIT_EXCEEDED geantwortet. Die Synchronisierung stoppt sauber und setzt dort fort, wo sie stehen blieb: Solange sie pausiert, fragt sie einmal pro Minute `/limits` bei Salesforce ab (ein API-Aufruf; dem zwischengespeicherten Sforce-Limit-Info-Wert wird nach einem Stopp nicht vertraut), sodass sie innerhalb einer Minute fortsetzt, nachdem das Kontingent wieder frei ist.',
    fix: 'Warten Sie, bis das 24-Stunden-Fenster Aufrufe freigibt, oder erhöhen Sie das Budget; die Synchronisierung setzt von selbst fort.',
  },
  SALESFORCE_UNAVAILABLE: {
    title: 'Salesforce nicht erreichbar',
    description:
      'Salesforce hat nach Wiederholungen mit 5xx geantwortet, war in Wartung oder hat nicht rechtzeitig geantwortet.',
    fix: 'Nichts zu tun, außer es hält an: Prüfen Sie status.salesforce.com und SALESFORCE_INSTANCE_URL / SALESFORCE_LOGIN_URL.',
  },
  SALESFORCE_BAD_RESPONSE: {
    title: 'Salesforce-Antwort nicht lesbar',
    description:
      'Salesforce hat etwas geantwortet, das dealbridge nicht lesen kann: einen Inhalt, der kein JSON ist (eine Wartungs- oder Anmeldeseite, ein mittendrin abgeschnittener Inhalt), eine beim Lesen abgebrochene Antwort oder eine Seite oder Zeile, die nicht dem dokumentierten API entspricht. Es wird sofort wie ein 5xx wiederholt; bringen die Wiederholungen keine lesbare Antwort, stoppt der Durchlauf, und der nächste liest erneut ab dem gespeicherten Cursor.',
    fix: 'Nichts zu tun, wenn es vorübergeht. Hält es an, prüfen Sie status.salesforce.com, SALESFORCE_INSTANCE_URL (eine geänderte My Domain, ein Proxy) und den Netzwerkweg: Die Meldung zeigt den Aufruf und den Anfang dessen, was ankam.',
  },
  SALESFORCE_QUERY_FAILED: {
    title: 'Salesforce-Abfrage fehlgeschlagen',
    description:
      'Salesforce hat eine Abfrage abgelehnt (INVALID_FIELD, MALFORMED_QUERY, INSUFFICIENT_ACCESS), meist weil ein eigens zugeordnetes Feld nicht existiert oder der Integrationsbenutzer es nicht sehen kann.',
    fix: 'Prüfen Sie die eigenen Feldzuordnungen gegen die Opportunity-Felder und die Sicherheit auf Feldebene des Integrationsbenutzers; führen Sie dann den Befehl erneut aus.',
  },
  FIELD_CUSTOM_VALIDATION_EXCEPTION: {
    title: 'Eine Salesforce-Validierungsregel hat das Schreiben abgelehnt',
    description:
      'Salesforce hat einen Wert abgelehnt, den dealbridge in eine Opportunity schrieb (eine Änderung aus HubSpot, in beide Richtungen): Eine Validierungsregel der Org trifft auf den Datensatz zu, wie er gespeichert würde. Die Meldung ist die der Regel, mit dem Feld, das sie nennt. Die übrigen Datensätze des Stapels werden geschrieben.',
    fix: 'Ändern Sie den Wert in HubSpot so, dass die Regel erfüllt ist (die Meldung sagt, was die Regel verlangt), oder lassen Sie einen Salesforce-Admin die Regel ändern (Setup › Objekt-Manager › Opportunity › Validierungsregeln); danach `dealbridge errors retry`.',
  },
  REQUIRED_FIELD_MISSING: {
    title: 'Ein Pflichtfeld von Salesforce fehlt',
    description:
      'Salesforce hat ein Schreiben abgelehnt, weil ein Pflichtfeld leer ist: Bei einer Opportunity sind Name, StageName und CloseDate Pflicht (ein Deal ohne Abschlussdatum kann keine Opportunity werden), und ein Layout oder die Org kann mehr verlangen. Die Meldung nennt die Felder.',
    fix: 'Füllen Sie die genannte Eigenschaft im HubSpot-Deal aus (für CloseDate: das Abschlussdatum) oder ordnen Sie dem Feld einen Wert zu; danach `dealbridge errors retry`.',
  },
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: {
    title: 'Wert in einer eingeschränkten Auswahlliste nicht erlaubt',
    description:
      'Salesforce hat einen Wert für ein eingeschränktes Auswahllistenfeld abgelehnt: Er ist keiner der aktiven Werte des Felds (bei StageName: keine Phase des Verkaufsprozesses des Datensatztyps). Die Meldung nennt Feld und Wert.',
    fix: 'Verwenden Sie einen Wert der Auswahlliste (eine Phase des Verkaufsprozesses der Opportunity: siehe die Phasenzuordnung in den Einstellungen der Weboberfläche), oder lassen Sie einen Admin den Wert in Salesforce anlegen; danach `dealbridge errors retry`.',
  },
  DUPLICATES_DETECTED: {
    title: 'Eine Salesforce-Duplikatregel hat das Schreiben verhindert',
    description:
      'Eine aktive Duplikatregel der Org hat den von dealbridge geschriebenen Datensatz einem vorhandenen zugeordnet, und ihre Aktion ist „Blockieren“ („Einen dieser Datensätze verwenden?“). Die Meldung nennt die Regel oder den gefundenen Datensatz.',
    fix: 'Führen Sie das Duplikat in Salesforce zusammen oder korrigieren Sie es, oder lassen Sie einen Admin die Regel für den Integrationsbenutzer auf „Zulassen“ stellen; danach `dealbridge errors retry`.',
  },
  UNABLE_TO_LOCK_ROW: {
    title: 'Salesforce-Datensatz von einer anderen Transaktion gesperrt',
    description:
      'Eine andere Transaktion (ein Benutzer, ein Trigger, eine andere Integration, ein Datenimport) hielt den Datensatz oder einen übergeordneten, während dealbridge ihn schrieb. dealbridge sendet einen gesperrten Datensatz bis zu dreimal allein erneut, innerhalb von etwa 4 Sekunden; dieser Fehler ist, was danach bleibt, und der Datensatz wird wie jeder andere Fehler mit Wartezeit wiederholt.',
    fix: 'Meist nichts: Die Wiederholung schreibt ihn. Schlägt es weiter fehl, suchen Sie einen Auftrag, der viele Opportunities hält (ein großer Datenimport, ein langer Apex-Batch), und lassen Sie ihn zu einer anderen Zeit laufen.',
  },
  ENTITY_IS_DELETED: {
    title: 'Der Salesforce-Datensatz wurde inzwischen gelöscht',
    description:
      'dealbridge schrieb in eine Opportunity, die zwischen dem Lesen der Änderung und dem Schreiben gelöscht wurde (sie liegt im Papierkorb). Es wird nichts geschrieben; das Löschen selbst erreicht den Deal über die Löschregel.',
    fix: 'Nichts, wenn das Löschen gewollt war. Um den Datensatz zu behalten, stellen Sie ihn in Salesforce wieder her (Papierkorb) und führen Sie `dealbridge errors retry` aus.',
  },
  SALESFORCE_WRITE_REJECTED: {
    title: 'Salesforce hat das Schreiben abgelehnt',
    description:
      'Salesforce hat das Schreiben eines Datensatzes aus einem Grund abgelehnt, der hier keinen eigenen Code hat (die Meldung enthält Statuscode und Text von Salesforce, z. B. INVALID_FIELD_FOR_INSERT_UPDATE, INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY, FIELD_INTEGRITY_EXCEPTION).',
    fix: 'Lesen Sie die Meldung von Salesforce: Meist fehlt dem Integrationsbenutzer das Bearbeitungsrecht für das Feld oder den Datensatz (sein Profil oder Berechtigungssatz), oder der Wert passt nicht ins Feld; danach `dealbridge errors retry`.',
  },
  AUTH_FAILED: {
    title: 'Anmeldung fehlgeschlagen',
    description:
      'Salesforce oder HubSpot hat die Zugangsdaten abgelehnt (401/403 nach einer Token-Erneuerung): ein abgelaufenes oder widerrufenes Token, eine falsche Client-ID oder ein falsches Client-Secret, fehlende Berechtigungen (Scopes).',
    fix: 'Prüfen Sie SALESFORCE_CLIENT_ID / SALESFORCE_CLIENT_SECRET / SALESFORCE_REFRESH_TOKEN (oder SALESFORCE_ACCESS_TOKEN) und HUBSPOT_ACCESS_TOKEN sowie die Scopes der privaten HubSpot-App (crm.objects.deals/contacts/companies Lesen und Schreiben, crm.schemas.* Schreiben, crm.objects.owners.read).',
  },
  CONFIG_INVALID: {
    title: 'Konfiguration ungültig',
    description:
      'Eine Umgebungsvariable, ein Schlüssel von dealbridge.config.json oder eine Einstellung hat einen fehlenden oder ungültigen Wert; die Meldung nennt den Schlüssel.',
    fix: 'Korrigieren Sie den genannten Schlüssel (siehe README, Configuration) und führen Sie den Befehl erneut aus.',
  },
  SECRET_KEY_WRONG: {
    title: 'Geheimer Schlüssel falsch oder fehlt',
    description:
      'Die gespeicherten Verbindungen (Tokens, Client-Secrets) sind mit AES-256-GCM unter einem Schlüssel verschlüsselt, der nicht der angegebene ist: DEALBRIDGE_SECRET_KEY oder die Schlüsseldatei ist ein anderer Schlüssel, fehlt, oder ein gespeicherter Wert wurde verändert. Nichts wird gelesen oder überschrieben.',
    fix: 'Geben Sie den Schlüssel an, unter dem die Geheimnisse verschlüsselt wurden: Stellen Sie die Schlüsseldatei aus ihrer Sicherung wieder her (docs/security.md, „Secrets at rest“) oder setzen Sie DEALBRIDGE_SECRET_KEY. Ist der Schlüssel verloren, entfernen Sie die Verbindungen (Trennen in der Weboberfläche) und verbinden Sie neu.',
  },
  OAUTH_STATE_MISMATCH: {
    title: 'Antwort der Anmeldung passt nicht',
    description:
      'Die Antwort der Anmeldeseite trug einen `state`, den dealbridge nicht gesendet hat, oder einen, dessen Anmeldung vor mehr als 10 Minuten begonnen wurde oder schon abgeschlossen ist. dealbridge nimmt aus einer solchen Antwort kein Token (sie könnte gefälscht sein oder aus einem anderen Browser-Tab stammen).',
    fix: 'Beginnen Sie die Verbindung erneut in der Weboberfläche („Salesforce verbinden“) oder mit `dealbridge connect salesforce`, in einem Browser-Tab, und schließen Sie sie innerhalb von 10 Minuten ab.',
  },
  OAUTH_ACCESS_DENIED: {
    title: 'Zugriff nicht erlaubt',
    description:
      'Die Anmeldeseite hat geantwortet, dass der Zugriff nicht erlaubt wurde: Der Benutzer hat auf der Zustimmungsseite „Verweigern“ gewählt, oder die verbundene App steht diesem Benutzer nicht zur Verfügung.',
    fix: 'Verbinden Sie erneut und wählen Sie „Zulassen“; bietet die Zustimmungsseite das nicht an, bitten Sie den Salesforce-Administrator, dem Profil oder Berechtigungssatz des Benutzers die verbundene App freizugeben.',
  },
  OAUTH_CODE_REJECTED: {
    title: 'Autorisierungscode abgelehnt',
    description:
      'Salesforce hat den Tausch des Autorisierungscodes gegen ein Token abgelehnt (invalid_grant): Der Code wurde schon verwendet (eine wiederholte Antwort), er ist abgelaufen (Codes gelten 15 Minuten), oder die Callback-URL ist nicht die, für die der Code ausgestellt wurde.',
    fix: 'Verbinden Sie erneut: Jede Anmeldung stellt einen neuen Code aus, der einmal verwendet wird. Scheitert es weiter, prüfen Sie, dass die Callback-URL der verbundenen App genau die ist, die dealbridge anzeigt.',
  },
  OAUTH_PKCE_MISMATCH: {
    title: 'Code-Verifier passt nicht',
    description:
      'Salesforce hat den Token-Tausch abgelehnt, weil der PKCE-Code-Verifier nicht zur Code-Challenge der Anmeldung passt (invalid code verifier): Die Antwort gehört zu einer anderen Anmeldung.',
    fix: 'Verbinden Sie erneut von vorn, in einem Browser-Tab.',
  },
  CONNECTION_REVOKED: {
    title: 'Verbindung widerrufen oder abgelaufen',
    description:
      'Das Refresh-Token der gespeicherten Verbindung wird abgelehnt (invalid_grant): Sein Zugriff wurde widerrufen (Trennen, die verbundenen Apps des Benutzers oder die OAuth-Nutzungsseite des Administrators), die Refresh-Token-Richtlinie hat es ablaufen lassen, oder der Benutzer wurde deaktiviert.',
    fix: 'Verbinden Sie neu: „Neu verbinden“ in der Weboberfläche oder `dealbridge connect salesforce`.',
  },
  COMPANY_MATCH_FAILED: {
    title: 'Unternehmen konnte nicht zugeordnet werden',
    description:
      'Der Account der Opportunity konnte mit keinem HubSpot-Unternehmen verknüpft werden: Mehrere Unternehmen ohne salesforce_account_id teilen seine Domain, das Anlegen von Unternehmen ist aus und keines passt, oder HubSpot hat den Schreibvorgang abgelehnt. Der Deal wird ohne sein Unternehmen synchronisiert und wiederholt.',
    fix: 'Die Meldung nennt die Ursache und ihre Behebung. Mehrere Unternehmen teilen die Domain: Führen Sie sie in HubSpot zusammen, oder setzen Sie salesforce_account_id beim richtigen. Keines passt (nur mit createCompanies aus): `dealbridge settings set createCompanies on`, oder setzen Sie salesforce_account_id beim Unternehmen. Dann `dealbridge errors retry`.',
  },
  COMPANY_DOMAIN_SHARED: {
    title: 'Neues Unternehmen neben einem, das mit einem anderen Account verknüpft ist',
    description:
      'Die Website-Domain des Accounts ist die Domain eines HubSpot-Unternehmens, das bereits mit einem anderen Salesforce-Account verknüpft ist (es trägt dessen salesforce_account_id), daher ist es kein Treffer, und dealbridge hat für diesen Account ein neues Unternehmen angelegt. Häufig, wenn mehrere Accounts (Tochterfirmen, Dubletten) eine Website teilen. Eine Warnung, unter dem Schlüssel des Accounts (account:001…) geführt und nicht wiederholt.',
    fix: 'Nichts, wenn die Accounts verschiedene Unternehmen sind. Sind sie eines: Führen Sie die Accounts in Salesforce oder die Unternehmen in HubSpot zusammen; die Meldung nennt das bereits verknüpfte und das angelegte Unternehmen.',
  },
  ASSOCIATION_FAILED: {
    title: 'Verknüpfung konnte nicht geschrieben werden',
    description:
      'HubSpot hat abgelehnt, den Deal mit einem Kontakt oder Unternehmen zu verknüpfen (der Datensatz ist weg, oder das Limit der Verknüpfungen ist erreicht).',
    fix: 'Prüfen Sie, ob der Kontakt oder das Unternehmen in HubSpot noch existiert; dann `dealbridge errors retry`.',
  },
  CURSOR_TOO_OLD: {
    title: 'Löschungen konnten nicht abgeglichen werden',
    description:
      'dealbridge kannte Löschungen zuletzt von einem Zeitpunkt, der länger zurückliegt, als getDeleted von Salesforce sie aufbewahrt (15 Tage), daher vergleicht es stattdessen jede Id einer aktiven Opportunity mit den Deals, die es führt. Diesmal hat Salesforce die Abfrage des Abgleichs abgelehnt (die Meldung sagt warum), daher können Deals inzwischen gelöschter Opportunities noch aktiv sein. Eine Warnung: Der Rest des Durchlaufs synchronisiert wie gewohnt.',
    fix: 'Nichts, wenn die Ursache vorbei ist: Der Abgleich wird jede Stunde und bei jedem Start erneut versucht. Sonst beheben Sie, was die Salesforce-Meldung nennt (zum Beispiel den Zugriff des API-Benutzers auf Opportunity); `dealbridge verify` listet Deals, deren Opportunity fehlt. Lassen Sie die Synchronisierung öfter als alle 15 Tage laufen, um den Abgleich zu vermeiden.',
  },
  PIPELINE_INVARIANT_VIOLATED: {
    title: 'Phasenzuordnung verletzt die Regel für Gewonnen und Verloren',
    description:
      'Eine gewonnene Salesforce-Phase ist einer HubSpot-Phase zugeordnet, die nicht mit Wahrscheinlichkeit 1.0 geschlossen ist, eine verlorene einer, die nicht mit Wahrscheinlichkeit 0.0 geschlossen ist, oder eine offene einer geschlossenen. Kennzahlen und HubSpot-Berichte würden den Deal falsch zählen.',
    fix: 'Korrigieren Sie die Phasenzuordnung (oder die HubSpot-Phase: Einstellungen › Objekte › Deals › Pipelines), oder lassen Sie `dealbridge setup` die Pipelines anlegen; führen Sie dann die Einrichtung erneut aus.',
  },
  SETUP_REQUIRED: {
    title: 'Einrichtung erforderlich',
    description:
      'Etwas, das die Synchronisierung in HubSpot braucht, fehlt: die Eigenschaft salesforce_opportunity_id, die Kennzahl-Eigenschaften, eine Pipeline oder die Eigentümerzuordnung.',
    fix: 'Führen Sie `dealbridge setup` aus.',
  },
  IMPORT_RUNNING: {
    title: 'Ein anderer Import läuft',
    description:
      'Pro Zustandsspeicher läuft nur ein Import gleichzeitig; ein anderer Prozess hält die Import-Sperre und hat vor Kurzem einen Zwischenstand gespeichert.',
    fix: 'Warten Sie darauf (`dealbridge import status`) oder stoppen Sie ihn; ein abgebrochener Import wird 60 s nach seinem letzten Zwischenstand übernommen, und der nächste `dealbridge import` setzt ihn fort.',
  },
  WORKER_NEEDS_POSTGRES: {
    title: 'Der Worker braucht Postgres',
    description:
      'Prozesse von `dealbridge worker` teilen sich einen Postgres-Zustandsspeicher und dessen pg-boss-Warteschlangen; DEALBRIDGE_DATABASE_URL nennt eine SQLite-Datei. Es wurde nichts gestartet.',
    fix: 'Richten Sie DEALBRIDGE_DATABASE_URL auf Postgres (`postgres://…`), um Worker zu betreiben, oder bleiben Sie bei SQLite und verwenden Sie `dealbridge sync` oder `dealbridge serve`, die keinen Worker brauchen.',
  },
  WORKER_JOB_FAILED: {
    title: 'Ein Worker-Auftrag ist bei allen Versuchen gescheitert',
    description:
      'Ein Auftrag von `dealbridge worker` (ein Sync-Durchlauf, ein Import-Stapel, die Rollups eines Imports) ist beim ersten Versuch und bei jeder Wiederholung gescheitert. Er ist ein Dead Letter: in der Dead-Letter-Warteschlange aufbewahrt, von `dealbridge status` und der Sync-Übersicht angezeigt und nicht mehr von selbst versucht. Die Meldung ist der Fehler des letzten Versuchs.',
    fix: 'Beheben Sie, was die Meldung nennt (oft eine nicht erreichbare Gegenstelle oder ein Budget); danach stellt `dealbridge errors retry --code WORKER_JOB_FAILED` den Auftrag wieder in seine Warteschlange.',
  },
  STORE_UNREACHABLE: {
    title: 'Zustandsspeicher nicht erreichbar',
    description:
      'Der Postgres-Server von DEALBRIDGE_DATABASE_URL hat die Verbindung abgelehnt, ist nicht da, oder hat sie angenommen und nicht innerhalb des Verbindungs-, Abfrage- oder Anweisungs-Timeouts geantwortet. Die Meldung nennt Host und Port. Nichts wurde geschrieben.',
    fix: 'Prüfen Sie, dass Postgres läuft und am genannten Host und Port lauscht und dass eine Firewall oder ein Proxy die Verbindung durchlässt (`psql "$DEALBRIDGE_DATABASE_URL" -c "select 1"`). Ein langsamer Server: Erhöhen Sie `connect_timeout` (Sekunden) in der Datenbank-URL. Führen Sie dann den Befehl erneut aus.',
  },
  STORE_BUSY: {
    title: 'Zustandsdatei von einem anderen Prozess gesperrt',
    description:
      'Ein anderer Prozess hielt die Schreibsperre der SQLite-Zustandsdatei länger als das Busy-Timeout von 5 s: meist ein zweites `dealbridge sync`, `serve` oder `import` auf derselben Datei, oder ein Sicherungsprogramm, das sie sperrt. Die Meldung nennt die Datei.',
    fix: 'Lassen Sie pro Zustandsdatei einen Schreiber laufen (stoppen Sie das andere `sync`/`serve`/`import`, oder geben Sie ihm eine eigene DEALBRIDGE_DATABASE_URL); sichern Sie mit `sqlite3 FILE ".backup COPY"`, das die Sperre nicht hält. Führen Sie dann den Befehl erneut aus; `status` liest, während ein Schreiber läuft.',
  },
  STORE_CANNOT_OPEN: {
    title: 'Zustandsspeicher kann nicht geöffnet werden',
    description:
      'Die SQLite-Zustandsdatei (oder ihr Ordner) kann nicht angelegt oder geöffnet werden: ein fehlender oder nicht beschreibbarer Ordner, ein Pfad, der kein Ordner ist, fehlende Rechte. Für Postgres: Der Server hat die Anmeldung abgelehnt, oder die Datenbank existiert nicht. Die Meldung nennt die Datei oder den Host.',
    fix: 'Für SQLite legen Sie den Ordner an und geben dem Benutzer, unter dem dealbridge läuft, Lese- und Schreibrechte darauf und auf die Datei (`ls -l` den genannten Pfad), oder zeigen Sie mit DEALBRIDGE_DATABASE_URL woandershin. Für Postgres prüfen Sie Benutzer, Passwort und Datenbanknamen in DEALBRIDGE_DATABASE_URL (`createdb` die Datenbank, wenn sie fehlt).',
  },
  STORE_READ_ONLY: {
    title: 'Zustandsdatei ist schreibgeschützt',
    description:
      'Die SQLite-Zustandsdatei, ihre -wal/-shm-Dateien oder ihr Ordner können nicht geschrieben werden (schreibgeschützte Rechte, ein schreibgeschützt eingehängtes Laufwerk oder eine Datei eines anderen Benutzers). Die Meldung nennt die Datei.',
    fix: 'Geben Sie dem Benutzer, unter dem dealbridge läuft, Schreibrechte auf die Datei und ihren Ordner (SQLite schreibt FILE-wal und FILE-shm daneben), oder hängen Sie das Laufwerk beschreibbar ein; führen Sie dann den Befehl erneut aus.',
  },
  CDC_REPLAY_ID_EXPIRED: {
    title: 'Replay-ID der Änderungsereignisse abgelaufen',
    description:
      'Salesforce hält die von dealbridge gespeicherte Replay-ID nicht mehr (Änderungsereignisse werden 72 Stunden aufbewahrt) oder hat sie nie vergeben: Das Abonnement schlug mit `400::The replayId {…} you provided was invalid` fehl. dealbridge verwirft sie, abonniert nur neue Ereignisse (-1) und führt sofort einen Cursor-Abgleich ab den gespeicherten Änderungscursorn durch, sodass keine Änderung verloren geht.',
    fix: 'Nichts zu tun: Es behebt sich von selbst. Tritt es wieder auf, war sync oder serve länger als 72 Stunden gestoppt; lassen Sie einen davon laufen.',
  },
  CDC_NOT_SELECTED: {
    title: 'Opportunity nicht für Change Data Capture ausgewählt',
    description:
      'Die Organisation hat Opportunity nicht für Change Data Capture ausgewählt (PlatformEventChannelMember der Tooling API führt kein OpportunityChangeEvent im Kanal ChangeEvents), daher kommen keine Änderungsereignisse: Abfragen im vollen Intervall ist der aktive Weg. dealbridge fragt alle 5 Minuten erneut.',
    fix: 'In Salesforce unter Setup › Integrationen › Change Data Capture: Verschieben Sie Opportunity (sowie Account und Opportunity Contact Role) in die ausgewählten Entitäten und speichern Sie. dealbridge abonniert innerhalb von 5 Minuten.',
  },
  CDC_STREAM_DOWN: {
    title: 'Strom der Änderungsereignisse unterbrochen',
    description:
      'Die Verbindung zur Streaming API (CometD unter /cometd/XX.X) ist abgebrochen oder kam nicht zustande: ein Netzwerkfehler, eine Wartung bei Salesforce oder ein vom Server beendetes Long Polling. Bis dahin wird im vollen Intervall abgefragt; dealbridge abonniert nach 1 s erneut ab der gespeicherten Replay-ID, mit einer Wartezeit, die sich bis 60 s verdoppelt.',
    fix: 'Nichts zu tun, außer es hält an: Prüfen Sie den Netzwerkweg zur Salesforce-Instanz und status.salesforce.com.',
  },
  CDC_EVENT_ALLOCATION_SPENT: {
    title: 'Kontingent für Ereigniszustellung verbraucht',
    description:
      'Salesforce hat den CometD-Connect abgelehnt: Das Kontingent der Organisation für Ereigniszustellung (DailyDeliveredPlatformEvents in /limits, an CometD-Clients zugestellte Änderungsereignisse pro 24 Stunden, geteilt von allen Abonnenten der Organisation) ist verbraucht. Es ist nicht das Kontingent der REST API. Bis dahin ist Abfragen der aktive Weg; dealbridge versucht es alle 5 Minuten erneut.',
    fix: 'Wählen Sie für Change Data Capture nur die Entitäten aus, die Abonnenten brauchen (dealbridge: Opportunity, Opportunity Contact Role, Account), suchen Sie andere Abonnenten, die das Kontingent verbrauchen, oder kaufen Sie bei Salesforce mehr Ereigniszustellung; der Strom setzt fort, sobald das gleitende 24-Stunden-Fenster Zustellungen freigibt.',
  },
  CDC_AUTH_FAILED: {
    title: 'Strom der Änderungsereignisse hat die Anmeldung abgelehnt',
    description:
      'Die Streaming API hat Handshake oder Abonnement abgelehnt (401 oder 403): eine abgelaufene oder widerrufene Sitzung, oder ein Benutzer ohne die Berechtigungen, die Änderungsereignisse brauchen. Bis dahin ist Abfragen der aktive Weg; dealbridge versucht es mit Wartezeiten erneut, mit einer neuen Sitzung, sobald die Erneuerung der REST-Aufrufe eine bekommt.',
    fix: 'Prüfen Sie die Rechte des Integrationsbenutzers: API Enabled sowie View All Data (oder View All für Opportunity, Account und Opportunity Contact Role), die Salesforce für die Zustellung ihrer Änderungsereignisse verlangt; prüfen Sie dann die OAuth-Einstellungen der verbundenen App wie bei AUTH_FAILED.',
  },
  HUBSPOT_MISSING_SCOPES: {
    title: 'Dem HubSpot-Token fehlt ein Scope',
    description:
      'HubSpot hat einen Aufruf mit 403 MISSING_SCOPES abgelehnt: dem Token der privaten App wurde der Scope nicht gewährt, den der Aufruf braucht. Die Meldung nennt den Scope, den HubSpot verlangt (seine `requiredGranularScopes`), z. B. crm.objects.deals.write oder crm.schemas.deals.write.',
    fix: 'In HubSpot unter Einstellungen › Integrationen › Private Apps › die App › Scopes den genannten Scope ankreuzen (dealbridge braucht crm.objects.deals, contacts und companies Lesen und Schreiben, crm.schemas.deals, contacts und companies Lesen und Schreiben, crm.objects.owners.read), Änderungen übernehmen und das Token der App erneut verbinden (Seite „Verbindungen“ oder `dealbridge connect hubspot --token`); dabei werden noch fehlende Scopes aufgelistet.',
  },
  INTERNAL: {
    title: 'Interner Fehler',
    description:
      'Ein unerwarteter Fehler in dealbridge: ein Programmfehler. Der Datensatz oder Durchlauf wird später wiederholt.',
    fix: 'Melden Sie ihn mit der Ausgabe von `dealbridge errors list --json` und dem Protokoll rundherum.',
  },
};

export const germanHttpErrorTexts: Readonly<Record<HttpErrorCode, ErrorTexts>> = {
  bad_request: {
    title: 'Anfrage nicht angenommen',
    description:
      'Inhalt oder Pfad der Anfrage sind nicht, was die Route annimmt: ein Feld fehlt, hat den falschen Typ oder einen Wert, den die Route ablehnt (eine unbekannte Phase, eine Regel, die sich nicht ändern lässt). `field` in der Antwort nennt das Feld und `reason` den Grund. Ein Inhalt über 100 KiB (4 KiB für die Anmelderouten) wird mit 413 beantwortet und einer, der kein JSON ist, mit 415, mit demselben Code.',
    fix: 'Senden Sie das Feld, das die Antwort nennt, mit einem Wert der Art, die ihr Grund verlangt; die Seiten der Weboberfläche senden jeder Route ihre Felder.',
  },
  unauthorized: {
    title: 'Nicht angemeldet',
    description:
      'Die Anfrage trägt kein gültiges Sitzungs-Cookie, oder das bei der Anmeldung angegebene Admin-Token ist falsch. Jede Route außer den Anmelderouten braucht eine Sitzung.',
    fix: 'Melden Sie sich mit dem Admin-Token an (`adminToken` in der Konfigurationsdatei oder DEALBRIDGE_ADMIN_TOKEN): Öffnen Sie /login, oder senden Sie POST /api/login mit {"token": "…"} und behalten Sie das Sitzungs-Cookie.',
  },
  too_many_attempts: {
    title: 'Zu viele falsche Tokens',
    description:
      'Diese Client-Adresse hat mehr falsche Admin-Tokens gesendet, als die Anmeldung ohne Verzögerung erlaubt (5); jedes weitere verdoppelt die Wartezeit, bis zu 15 Minuten. Während der Wartezeit werden ihre Anmeldungen abgelehnt, ohne dass das Token geprüft wird. Die Antwort trägt Retry-After.',
    fix: 'Warten Sie die Sekunden, die Retry-After nennt, und melden Sie sich dann mit dem richtigen Admin-Token an. Hinter einem Reverse-Proxy setzen Sie `server.trustProxy`, damit jeder Client unter seiner eigenen Adresse gezählt wird.',
  },
  csrf: {
    title: 'CSRF-Token fehlt oder ist falsch',
    description:
      'Eine Anfrage, die etwas ändert (POST, PUT, PATCH, DELETE), trug das CSRF-Token der Sitzung nicht in ihrem Header x-csrf-token.',
    fix: 'Lesen Sie `csrfToken` aus der Antwort von POST /api/login oder GET /api/session und senden Sie es als Header x-csrf-token bei jeder Änderung.',
  },
  cross_origin: {
    title: 'Anfrage von einer anderen Website',
    description:
      'Eine Anfrage, die etwas ändert (auch die Anmeldung), kam laut dem Origin- oder Sec-Fetch-Site-Header ihres Browsers von einem anderen Ursprung: einer anderen Website oder einem anderen Port desselben Hosts. Sie wird abgelehnt, was immer sie trägt.',
    fix: 'Verwenden Sie die Weboberfläche unter der eigenen Adresse des Servers. Hinter einem Reverse-Proxy, der den Host-Header umschreibt, setzen Sie `server.trustProxy`, damit der Server mit X-Forwarded-Host vergleicht.',
  },
  not_found: {
    title: 'Nicht gefunden',
    description:
      'Keine Route hat diesen Pfad, keine Einstellung diesen Schlüssel, oder dealbridge hat keine Opportunity mit dieser Id gesehen (sie wurde nicht synchronisiert, importiert oder in einer Vorschau gezeigt).',
    fix: 'Prüfen Sie den Pfad oder den Schlüssel der Einstellung (`dealbridge settings get` listet sie); eine Opportunity synchronisieren oder importieren Sie zuerst.',
  },
  incompatible: {
    title: 'Typen der Feldzuordnung passen nicht zusammen',
    description:
      'Eine eigene Feldzuordnung wurde vor dem Speichern abgelehnt: Das Salesforce-Feld existiert nicht, die HubSpot-Eigenschaft existiert nicht oder wird von der Standardzuordnung geschrieben, oder der Typ des Felds kann nicht in den Typ der Eigenschaft geschrieben werden. Die Meldung sagt, was zutrifft.',
    fix: 'Wählen Sie ein Feld und eine Eigenschaft, deren Typen zusammenpassen (Auswahlliste ↔ Aufzählung, Zahl ↔ Zahl, Datum ↔ Datum, Text ↔ Text), oder legen Sie zuerst eine HubSpot-Eigenschaft des passenden Typs an.',
  },
  metrics_unauthorized: {
    title: 'Metrik-Token fehlt oder ist falsch',
    description:
      'DEALBRIDGE_METRICS_TOKEN ist gesetzt, und eine Anfrage an /metrics trug es nicht als `Authorization: Bearer <token>`. Die Anmeldung der Weboberfläche öffnet /metrics nicht, und das Token öffnet nichts anderes.',
    fix: 'Geben Sie dem Scraper das Token: in Prometheus `authorization: { type: Bearer, credentials_file: … }` in der Scrape-Konfiguration des Jobs (docs/operations.md).',
  },
  metrics_loopback_only: {
    title: 'Metriken nur für diesen Host',
    description:
      'DEALBRIDGE_METRICS_TOKEN ist nicht gesetzt, daher beantwortet /metrics nur Anfragen von einer Loopback-Adresse (127.0.0.0/8, ::1); hinter einem Reverse-Proxy (`server.trustProxy`) muss auch der weitergeleitete Client eine sein.',
    fix: 'Lesen Sie die Metriken vom selben Host, oder setzen Sie DEALBRIDGE_METRICS_TOKEN (mindestens 16 Zeichen) und senden Sie es als Bearer-Token.',
  },
  webhook_unauthorized: {
    title: 'Webhook-Signatur abgelehnt',
    description:
      'Ein POST an /webhooks/hubspot trug keine gültige X-HubSpot-Signature-v3 für HUBSPOT_CLIENT_SECRET (fehlend, falsch oder mit einem anderen Geheimnis erzeugt), sein X-HubSpot-Request-Timestamp liegt mehr als 5 Minuten daneben, oder dieselbe signierte Zustellung kam ein zweites Mal (eine Wiederholung). Nichts davon wird verarbeitet, und sein Inhalt wird nicht protokolliert.',
    fix: 'Setzen Sie HUBSPOT_CLIENT_SECRET auf das Client-Geheimnis der HubSpot-App, deren Webhooks diese URL aufrufen (Auth-Einstellungen der App), halten Sie die Uhr des Servers richtig (NTP), und sorgen Sie dafür, dass ein Reverse-Proxy die von HubSpot aufgerufene URL unverändert weitergibt (die Signatur deckt sie ab; setzen Sie `server.trustProxy`, damit X-Forwarded-Proto und der Host gelten).',
  },
};
