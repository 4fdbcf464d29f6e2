// Field mappings: the defaults with their sync rules (some editable), the custom ones, and a form
// that checks a new mapping's types on the server before it can be saved.
import { useEffect, useState } from 'react';
import { send } from '../api';
import { ruleLabels, type SettingsView, type SyncRule } from '../types';
import { Notice, TableWrap, useAction } from './common';

const rules = Object.keys(ruleLabels) as SyncRule[];

export function FieldMappings({ v, reload }: { v: SettingsView; reload: () => Promise<void> }) {
  const action = useAction();
  const fm = v.fieldMappings;
  return (
    <section className="card" aria-labelledby="fields-h">
      <h2 id="fields-h">Field mappings</h2>
      <TableWrap label="Default field mappings">
        <table className="stack">
          <caption>Default mappings</caption>
          <thead>
            <tr>
              <th scope="col">Salesforce field</th>
              <th scope="col">HubSpot property</th>
              <th scope="col">Sync rule</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {fm.defaults.map((d) => (
              <tr key={d.hubspotProperty}>
                <th scope="row">{d.salesforceField}</th>
                <td data-label="HubSpot property">
                  <code>{d.hubspotProperty}</code>
                </td>
                <td data-label="Sync rule">
                  {d.ruleEditable ? (
                    <select
                      aria-label={`Sync rule for ${d.salesforceField}`}
                      value={d.rule}
                      disabled={action.busy}
                      onChange={(e) => {
                        const rule = e.target.value as SyncRule;
                        void action.run(async () => {
                          await send('PUT', `/api/field-mappings/default/${d.hubspotProperty}`, { rule });
                          await reload();
                          return `${d.salesforceField}: ${ruleLabels[rule]}.`;
                        });
                      }}
                    >
                      {rules.map((r) => (
                        <option key={r} value={r}>
                          {ruleLabels[r]}
                        </option>
                      ))}
                    </select>
                  ) : (
                    ruleLabels[d.rule]
                  )}
                </td>
                <td data-label="Notes">{d.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h3>Custom mappings</h3>
      {fm.custom.length === 0 ? (
        <p className="hint">None yet.</p>
      ) : (
        <TableWrap label="Custom field mappings">
          <table className="stack">
            <thead>
              <tr>
                <th scope="col">Salesforce field</th>
                <th scope="col">HubSpot property</th>
                <th scope="col">Sync rule</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fm.custom.map((m) => (
                <tr key={m.hubspotProperty}>
                  <th scope="row">{m.salesforceField}</th>
                  <td data-label="HubSpot property">
                    <code>{m.hubspotProperty}</code>
                  </td>
                  <td data-label="Sync rule">{ruleLabels[m.rule]}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Remove mapping ${m.salesforceField} to ${m.hubspotProperty}`}
                      onClick={() =>
                        void action.run(async () => {
                          await send(
                            'DELETE',
                            `/api/field-mappings/${encodeURIComponent(m.hubspotProperty)}`,
                          );
                          await reload();
                          return 'Mapping removed.';
                        })
                      }
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <NewMapping v={v} reload={reload} />
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}

function NewMapping({ v, reload }: { v: SettingsView; reload: () => Promise<void> }) {
  const fm = v.fieldMappings;
  const [sfField, setSfField] = useState('');
  const [hsProp, setHsProp] = useState('');
  const [rule, setRule] = useState<SyncRule>('prefer_salesforce_unless_blank');
  const [check, setCheck] = useState<{ ok: boolean; problem?: string } | null>(null);
  const action = useAction();
  useEffect(() => {
    setCheck(null);
    if (!sfField || !hsProp) return;
    let live = true;
    void send<{ ok: boolean; problem?: string }>('POST', '/api/field-mappings/check', {
      salesforceField: sfField,
      hubspotProperty: hsProp,
    })
      .then((r) => live && setCheck(r))
      .catch((err: unknown) => live && setCheck({ ok: false, problem: String(err) }));
    return () => {
      live = false;
    };
  }, [sfField, hsProp]);
  return (
    <form
      className="row-form"
      aria-labelledby="new-mapping-h"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await send('POST', '/api/field-mappings', {
            salesforceField: sfField,
            hubspotProperty: hsProp,
            rule,
          });
          setSfField('');
          setHsProp('');
          await reload();
          return 'Mapping saved: it applies from the next sync.';
        });
      }}
    >
      <h3 id="new-mapping-h">Add a mapping</h3>
      <div className="field">
        <label htmlFor="map-sf">Salesforce Opportunity field</label>
        <select id="map-sf" value={sfField} onChange={(e) => setSfField(e.target.value)} required>
          <option value="">Choose a field…</option>
          {fm.salesforceFields.map((f) => (
            <option key={f.name} value={f.name}>
              {f.label} ({f.name}, {f.type})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="map-hs">HubSpot deal property</label>
        <select id="map-hs" value={hsProp} onChange={(e) => setHsProp(e.target.value)} required>
          <option value="">Choose a property…</option>
          {fm.hubspotProperties.map((p) => (
            <option key={p.name} value={p.name} disabled={p.readOnly}>
              {p.label} ({p.name}, {p.type}){p.readOnly ? ' — read-only' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="map-rule">Sync rule</label>
        <select id="map-rule" value={rule} onChange={(e) => setRule(e.target.value as SyncRule)}>
          {rules.map((r) => (
            <option key={r} value={r}>
              {ruleLabels[r]}
            </option>
          ))}
        </select>
      </div>
      <p className={`check ${check ? (check.ok ? 'ok' : 'problem') : ''}`} role="status" aria-live="polite">
        {check === null
          ? sfField && hsProp
            ? 'Checking types…'
            : 'Choose both sides; their types are checked before the mapping can be saved.'
          : check.ok
            ? '✓ Types are compatible.'
            : `⚠ ${check.problem ?? 'Incompatible types.'}`}
      </p>
      <button type="submit" disabled={!check?.ok || action.busy}>
        Save mapping
      </button>
      <Notice message={action.message} kind={action.kind} />
    </form>
  );
}
