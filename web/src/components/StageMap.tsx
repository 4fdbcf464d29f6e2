// Pipelines and stage mapping, one table per record type. Each Salesforce stage picks a HubSpot
// stage; rows that break the won/lost invariant say why, as the server's check finds it.
import { useTranslation } from 'react-i18next';
import { send } from '../api';
import type { SettingsView } from '../types';
import { num } from '../format';
import { Notice, TableWrap, useAction } from './common';
import { stageProblem } from './stage-problem';

export function StageMap({ v, reload }: { v: SettingsView; reload: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const action = useAction();
  const { stageMap, pipelines } = v;
  const stageLabel = (pipelineId: string | null, stageId: string | null) => {
    const p = pipelines.find((x) => x.id === pipelineId);
    const s = p?.stages.find((x) => x.id === stageId);
    return p && s ? `${p.label} › ${s.label}` : t('stages.notMapped');
  };
  return (
    <section className="card" aria-labelledby="stages-h">
      <h2 id="stages-h">{t('stages.h')}</h2>
      <p className="hint">
        {stageMap.source === 'setup'
          ? t('stages.sourceSetup')
          : stageMap.source === 'user'
            ? t('stages.sourceUser')
            : t('stages.sourceNone')}{' '}
        {t('stages.rule')}
      </p>
      {stageMap.problems > 0 ? (
        <p className="problem-summary" role="alert">
          {t('stages.problems', { count: stageMap.problems, n: num(stageMap.problems) })}
        </p>
      ) : (
        <p className="ok-summary">{t('stages.allGood')}</p>
      )}
      {stageMap.recordTypes.map((rt) => (
        <div key={rt.key} className="record-type">
          <h3 id={`rt-${rt.key}`}>
            {t('stages.recordType')} <span translate="no">{rt.name}</span>
          </h3>
          <TableWrap label={t('stages.tableLabel', { name: rt.name })}>
            <table className="stack" aria-labelledby={`rt-${rt.key}`}>
              <thead>
                <tr>
                  <th scope="col">{t('stages.colSf')}</th>
                  <th scope="col">{t('stages.colKind')}</th>
                  <th scope="col">{t('stages.colHs')}</th>
                  <th scope="col">{t('stages.colCheck')}</th>
                </tr>
              </thead>
              <tbody>
                {rt.rows.map((row) => (
                  <tr key={row.apiName} className={row.problem ? 'bad' : ''}>
                    <th scope="row" translate="no">
                      {row.label}
                    </th>
                    <td data-label={t('stages.colKind')}>{t(`stages.kind.${row.kind}`)}</td>
                    <td data-label={t('stages.colHs')}>
                      <select
                        translate="no"
                        aria-label={t('stages.selectLabel', { stage: row.label, recordType: rt.name })}
                        value={row.pipelineId && row.stageId ? `${row.pipelineId}|${row.stageId}` : ''}
                        disabled={action.busy}
                        onChange={(e) => {
                          const [pipelineId, stageId] = e.target.value.split('|');
                          void action.run(async () => {
                            const r = await send<{ ok: boolean; problems: unknown[] }>(
                              'PUT',
                              '/api/stage-map',
                              {
                                recordType: rt.key,
                                stage: row.apiName,
                                pipelineId,
                                stageId,
                              },
                            );
                            await reload();
                            return r.ok
                              ? t('stages.nowMaps', {
                                  stage: row.label,
                                  target: stageLabel(pipelineId ?? null, stageId ?? null),
                                })
                              : t('stages.savedProblems', { stage: row.label, n: r.problems.length });
                          });
                        }}
                      >
                        {!row.stageId && <option value="">{t('stages.notMappedOption')}</option>}
                        {pipelines.map((p) => (
                          <optgroup key={p.id} label={p.label}>
                            {p.stages.map((s) => (
                              <option key={s.id} value={`${p.id}|${s.id}`}>
                                {s.label} ({s.isClosed ? t('stages.closed') : t('stages.open')},{' '}
                                {num(Math.round(s.probability * 100))} %)
                              </option>
                            ))}
                          </optgroup>
                        ))}
                      </select>
                    </td>
                    <td data-label={t('stages.colCheck')}>
                      {row.problem ? (
                        <span className="problem">
                          <span aria-hidden="true">⚠ </span>
                          {i18n.language === 'en' ? (
                            // The engine's check, as it wrote it.
                            <span lang="en">{row.problem}</span>
                          ) : (
                            <span>{stageProblem(t, row, pipelines)}</span>
                          )}
                        </span>
                      ) : (
                        <span className="ok">
                          <span aria-hidden="true">✓ </span>
                          {t('stages.ok')}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      ))}
      <Notice message={action.message} kind={action.kind} />
    </section>
  );
}
