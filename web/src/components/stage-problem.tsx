// A stage row's won/lost problem in a language other than English. The server's check (the
// engine's validateStageMap) writes it in English with the names in it, and English pages show
// that text as it is; other languages write the same finding again from the row and the pipelines
// the page already has, with the stage and pipeline names marked as data (translate="no").
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { decimal } from '../format';
import type { SettingsView, StageRow } from '../types';

const MARK = '\u0000';

/** `text` with each MARK replaced by the next value, as data. */
function withData(key: string, text: string, values: string[]): ReactNode[] {
  return text.split(MARK).flatMap((part, i) =>
    i < values.length
      ? [
          part,
          <span key={`${key}${i}`} translate="no">
            “{values[i]}”
          </span>,
        ]
      : [part],
  );
}

export function stageProblem(t: TFunction, row: StageRow, pipelines: SettingsView['pipelines']): ReactNode[] {
  if (!row.pipelineId || !row.stageId)
    return withData('n', t('stages.problem.notMapped', { stage: MARK }), [row.label]);
  const pipeline = pipelines.find((p) => p.id === row.pipelineId);
  if (!pipeline) return [t('stages.problem.noPipeline', { id: row.pipelineId })];
  const hs = pipeline.stages.find((s) => s.id === row.stageId);
  if (!hs)
    return withData('p', t('stages.problem.noStage', { id: row.stageId, pipeline: MARK }), [pipeline.label]);
  const rule = withData('r', t(`stages.problem.${row.kind}`, { stage: MARK }), [row.label]);
  const state = hs.isClosed ? t('stages.closed') : t('stages.open');
  const got = t('stages.problem.got', { hsStage: MARK, state, probability: decimal(hs.probability) });
  return [...rule, '; ', ...withData('g', got, [hs.label])];
}
