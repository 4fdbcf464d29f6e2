// Field mappings: the defaults with their sync rules (some editable), the custom ones, and a form
// that checks a new mapping's types on the server before it can be saved.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { send } from '../api';
import { en } from '../i18n/en';
import type { SettingsView, SyncRule } from '../types';
import { Notice, TableWrap, useAction } from './common';

const rules = Object.keys(en.fields.rules) as SyncRule[];
const notes = en.fields.notes;
const hasNote = (p: string): p is keyof typeof notes => Object.hasOwn(notes, p);

export function FieldMappings({ v, reload }: { v: SettingsView; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  const action = useAction();
  const fm = v.fieldMappings;
  return (
    <section className="card" aria-labelledby="fields-h">
      <h2 id="fields-h">{t('fields.h')}</h2>
      <TableWrap label={t('fields.defaultsLabel')}>
        <table className="stack">
          <caption>{t('fields.defaults')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.colSf')}</th>
              <th scope="col">{t('fields.colHs')}</th>
              <th scope="col">{t('fields.colRule')}</th>
              <th scope="col">{t('fields.colNotes')}</th>
            </tr>
          </thead>
          <tbody>
            {fm.defaults.map((d) => (
              <tr key={d.hubspotProperty}>
                <th scope="row" translate="no">
                  {d.salesforceField}
                </th>
                <td data-label={t('fields.colHs')}>
                  <code translate="no">{d.hubspotProperty}</code>
                </td>
                <td data-label={t('fields.colRule')}>
                  {d.ruleEditable ? (
                    <select
                      aria-label={t('fields.ruleFor', { field: d.salesforceField })}
                      value={d.rule}
                      disabled={action.busy}
                      onChange={(e) => {
                        const rule = e.target.value as SyncRule;
                        void action.run(async () => {
                          await send('PUT', `/api/field-mappings/default/${d.hubspotProperty}`, { rule });
                          await reload();
                          return `${d.salesforceField}: ${t(`fields.rules.${rule}`)}.`;
                        });
                      }}
                    >
                      {rules.map((r) => (
                        <option key={r} value={r}>
                          {t(`fields.rules.${r}`)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    t(`fields.rules.${d.rule}`)
                  )}
                </td>
                <td data-label={t('fields.colNotes')}>
                  {hasNote(d.hubspotProperty) ? t(`fields.notes.${d.hubspotProperty}`) : d.note}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h3>{t('fields.custom')}</h3>
      {fm.custom.length === 0 ? (
        <p className="hint">{t('fields.noCustom')}</p>
      ) : (
        <TableWrap label={t('fields.customLabel')}>
          <table className="stack">
            <thead>
              <tr>
                <th scope="col">{t('fields.colSf')}</th>
                <th scope="col">{t('fields.colHs')}</th>
                <th scope="col">{t('fields.colRule')}</th>
                <th scope="col">
                  <span className="sr-only">{t('fields.colActions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fm.custom.map((m) => (
                <tr key={m.hubspotProperty}>
                  <th scope="row" translate="no">
                    {m.salesforceField}
                  </th>
                  <td data-label={t('fields.colHs')}>
                    <code translate="no">{m.hubspotProperty}</code>
                  </td>
                  <td data-label={t('fields.colRule')}>{t(`fields.rules.${m.rule}`)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={t('fields.removeLabel', { from: m.salesforceField, to: m.hubspotProperty })}
                      onClick={() =>
                        void action.run(async () => {
                          await send(
                            'DELETE',
                            `/api/field-mappings/${encodeURIComponent(m.hubspotProperty)}`,
                          );
                          await reload();
                          return t('fields.removed');
                        })
                      }
                    >
                      {t('fields.remove')}
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
  const { t } = useTranslation();
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
          return t('fields.saved');
        });
      }}
    >
      <h3 id="new-mapping-h">{t('fields.add')}</h3>
      <div className="field">
        <label htmlFor="map-sf">{t('fields.sfField')}</label>
        <select id="map-sf" value={sfField} onChange={(e) => setSfField(e.target.value)} required>
          <option value="">{t('fields.chooseField')}</option>
          {fm.salesforceFields.map((f) => (
            <option key={f.name} value={f.name} translate="no">
              {f.label} ({f.name}, {f.type})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="map-hs">{t('fields.hsProp')}</label>
        <select id="map-hs" value={hsProp} onChange={(e) => setHsProp(e.target.value)} required>
          <option value="">{t('fields.chooseProp')}</option>
          {fm.hubspotProperties.map((p) => (
            <option key={p.name} value={p.name} disabled={p.readOnly} translate="no">
              {p.label} ({p.name}, {p.type}){p.readOnly ? t('fields.readOnly') : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="map-rule">{t('fields.colRule')}</label>
        <select id="map-rule" value={rule} onChange={(e) => setRule(e.target.value as SyncRule)}>
          {rules.map((r) => (
            <option key={r} value={r}>
              {t(`fields.rules.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <p className={`check ${check ? (check.ok ? 'ok' : 'problem') : ''}`} role="status" aria-live="polite">
        {check === null
          ? sfField && hsProp
            ? t('fields.checking')
            : t('fields.chooseBoth')
          : check.ok
            ? t('fields.compatible')
            : check.problem
              ? // The server's check names the fields and types, in English.
                [
                  '⚠ ',
                  <span key="problem" lang="en">
                    {check.problem}
                  </span>,
                ]
              : `⚠ ${t('fields.incompatible')}`}
      </p>
      <button type="submit" disabled={!check?.ok || action.busy}>
        {t('fields.save')}
      </button>
      <Notice message={action.message} kind={action.kind} />
    </form>
  );
}
