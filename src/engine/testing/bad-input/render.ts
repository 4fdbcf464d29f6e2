// docs/bad-input.md's generated part: the counts by outcome and one table per group, from the
// corpus (corpus.ts). corpus.test.ts fails when the page and the corpus differ; write the page
// again with `node --import tsx src/engine/testing/bad-input/render.ts --write`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CORPUS,
  GROUPS,
  TEST_FILES,
  outcomeLabel,
  testName,
  type BadInputCase,
  type Outcome,
} from './corpus.js';

export const DOC_PATH = fileURLToPath(new URL('../../../../docs/bad-input.md', import.meta.url));
export const START = '<!-- corpus: generated from src/engine/testing/bad-input/corpus.ts, do not edit -->';
export const END = '<!-- corpus: end -->';

const COUNTED: { label: string; matches(o: Outcome): boolean }[] = [
  { label: 'synced', matches: (o) => o.kind === 'synced' },
  { label: 'synced with a warning', matches: (o) => o.kind === 'warning' },
  { label: 'failed with a code (held back, retried)', matches: (o) => o.kind === 'failed' && !o.on },
  {
    label: "deal synced, the contact's rollups failed with a code",
    matches: (o) => o.kind === 'failed' && !!o.on,
  },
  { label: 'retried, then synced', matches: (o) => o.kind === 'retried' },
  { label: 'no live deal (the opportunity is deleted)', matches: (o) => o.kind === 'removed' },
  { label: 'refused by Salesforce (nothing arrives)', matches: (o) => o.kind === 'refused' },
];

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function row(c: BadInputCase): string {
  const file = TEST_FILES[c.file].split('/').pop()!;
  return `| \`${c.id}\` | ${cell(c.arrives)} | ${cell(c.does)} | ${cell(outcomeLabel(c.outcome))} | \`${file}\` |`;
}

export function renderCorpus(cases: readonly BadInputCase[] = CORPUS): string {
  const out: string[] = [START, '', `## Counts`, '', `${cases.length} cases:`, ''];
  for (const k of COUNTED) out.push(`- ${k.label}: ${cases.filter((c) => k.matches(c.outcome)).length}`);
  const codes = [
    ...new Set(cases.flatMap((c) => ('code' in c.outcome && c.outcome.code ? [c.outcome.code] : []))),
  ];
  out.push(
    '',
    `Codes the corpus shows: ${codes
      .sort()
      .map((c) => `\`${c}\``)
      .join(', ')}.`,
  );
  for (const group of GROUPS) {
    const inGroup = cases.filter((c) => c.group === group);
    if (inGroup.length === 0) continue;
    out.push(
      '',
      `## ${group}`,
      '',
      '| Case | What arrives | What dealbridge does | Outcome | Test |',
      '|---|---|---|---|---|',
    );
    for (const c of inGroup) out.push(row(c));
  }
  out.push('', END);
  return out.join('\n');
}

/** The generated part of the page as it is now. */
export function generatedPart(page: string): string | undefined {
  const a = page.indexOf(START);
  const b = page.indexOf(END);
  return a < 0 || b < a ? undefined : page.slice(a, b + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  const page = readFileSync(DOC_PATH, 'utf8');
  const now = generatedPart(page);
  if (now === undefined) throw new Error(`${DOC_PATH} has no generated part (${START} … ${END})`);
  writeFileSync(DOC_PATH, page.replace(now, renderCorpus()));
  process.stdout.write(`${DOC_PATH}: ${CORPUS.length} cases\n`);
}

export { testName };
