// Pipelines and stage mapping, one table per record type. Each Salesforce stage picks a HubSpot
// stage; rows that break the won/lost invariant say why, as the server's check finds it.
import { send } from '../api';
import type { SettingsView } from '../types';
import { Notice, TableWrap, useAction } from './common';

const kindLabel = { open: 'Open', won: 'Closed won', lost: 'Closed lost' } as const;

export function StageMap({ v, reload }: { v: SettingsView; reload: () => Promise<void> }) {
  const action = useAction();
  const { stageMap, pipelines } = v;
  const stageLabel = (pipelineId: string | null, stageId: string | null) => {
    const p = pipelines.find((x) => x.id === pipelineId);
    const s = p?.stages.find((x) => x.id === stageId);
    return p && s ? `${p.label} › ${s.label}` : 'not mapped';
  };
  return (
    <section className="card" aria-labelledby="stages-h">
      <h2 id="stages-h">Pipelines and stages</h2>
      <p className="hint">
        {stageMap.source === 'setup'
          ? 'Made by setup: one HubSpot pipeline per opportunity record type.'
          : stageMap.source === 'user'
            ? 'Edited here: setup checks this map instead of rebuilding it.'
            : 'No stage map yet: run setup.'}{' '}
        A won stage must map to a closed HubSpot stage with probability 100 %, a lost stage to one with 0 %,
        an open stage to an open one.
      </p>
      {stageMap.problems > 0 ? (
        <p className="problem-summary" role="alert">
          {stageMap.problems} stage mapping problem{stageMap.problems === 1 ? '' : 's'}: opportunities in
          these stages fail with STAGE_NOT_MAPPED or land in the wrong state.
        </p>
      ) : (
        <p className="ok-summary">Every stage is mapped and the won/lost rules hold.</p>
      )}
      {stageMap.recordTypes.map((rt) => (
        <div key={rt.key} className="record-type">
          <h3 id={`rt-${rt.key}`}>Record type: {rt.name}</h3>
          <TableWrap label={`Stage mapping for ${rt.name}`}>
            <table className="stack" aria-labelledby={`rt-${rt.key}`}>
              <thead>
                <tr>
                  <th scope="col">Salesforce stage</th>
                  <th scope="col">Kind</th>
                  <th scope="col">HubSpot stage</th>
                  <th scope="col">Check</th>
                </tr>
              </thead>
              <tbody>
                {rt.rows.map((row) => (
                  <tr key={row.apiName} className={row.problem ? 'bad' : ''}>
                    <th scope="row">{row.label}</th>
                    <td data-label="Kind">{kindLabel[row.kind]}</td>
                    <td data-label="HubSpot stage">
                      <select
                        aria-label={`HubSpot stage for ${row.label} (${rt.name})`}
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
                              ? `${row.label} now maps to ${stageLabel(pipelineId ?? null, stageId ?? null)}.`
                              : `${row.label} saved; ${r.problems.length} problem(s) remain.`;
                          });
                        }}
                      >
                        {!row.stageId && <option value="">Not mapped</option>}
                        {pipelines.map((p) => (
                          <optgroup key={p.id} label={p.label}>
                            {p.stages.map((s) => (
                              <option key={s.id} value={`${p.id}|${s.id}`}>
                                {s.label} ({s.isClosed ? 'closed' : 'open'}, {Math.round(s.probability * 100)}{' '}
                                %)
                              </option>
                            ))}
                          </optgroup>
                        ))}
                      </select>
                    </td>
                    <td data-label="Check">
                      {row.problem ? (
                        <span className="problem">
                          <span aria-hidden="true">⚠ </span>
                          {row.problem}
                        </span>
                      ) : (
                        <span className="ok">
                          <span aria-hidden="true">✓ </span>OK
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
