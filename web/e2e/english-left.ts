// The check of the German pages: which words of the visible text (text nodes, aria-labels,
// placeholders, titles, the document title) are words the English UI uses and the German one
// does not. Text the page marks as not to translate (translate="no": record names, stage labels,
// property names, commands) or as English (lang="en": the engine's messages about a record, which
// name fields and values) is left out, so data values never count; brand and protocol names that
// are the same in both languages are allowed by name.
import type { Page } from 'playwright-core';
import { errorCatalogue, httpErrorCatalogue } from '../../src/errors/catalogue.js';
import { germanErrorTexts, germanHttpErrorTexts } from '../../src/errors/catalogue-de.js';
import { de } from '../src/i18n/de.js';
import { en } from '../src/i18n/en.js';

type Tree = { [k: string]: string | Tree };

function strings(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : strings(v)));
}

const words = (text: string): string[] =>
  text
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .toLowerCase()
    .split(/[^a-zäöüß]+/)
    .filter((w) => w.length >= 3);

const englishTexts = [
  ...strings(en as unknown as Tree),
  ...[...Object.values(errorCatalogue), ...Object.values(httpErrorCatalogue)].flatMap((i) => [
    i.title,
    i.description,
    i.fix,
  ]),
];
const germanTexts = [
  ...strings(de as unknown as Tree),
  ...[...Object.values(germanErrorTexts), ...Object.values(germanHttpErrorTexts)].flatMap((i) => [
    i.title,
    i.description,
    i.fix,
  ]),
];

/** Names both languages write alike. */
const allowed = new Set([
  'salesforce',
  'hubspot',
  'dealbridge',
  'api',
  'csv',
  'json',
  'utc',
  'sforce',
  'limit',
  'info',
]);

const german = new Set(germanTexts.flatMap(words));
/** Words only the English UI uses: any of these on a German page is English left over. */
export const englishOnly: ReadonlySet<string> = new Set(
  englishTexts.flatMap(words).filter((w) => !german.has(w) && !allowed.has(w)),
);

// Run in the page as source text: tsx would wrap a function's inner names in a helper
// (__name) that the page does not have.
const collect = `(() => {
  const exempt = (el) => !el || el.closest('[translate="no"], [lang="en"], script, style');
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent && n.textContent.trim();
    if (text && !exempt(n.parentElement)) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [data-label]')) {
    if (exempt(el)) continue;
    for (const a of ['aria-label', 'placeholder', 'title', 'data-label']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  const data = [];
  for (const el of document.querySelectorAll('[translate="no"]')) {
    const v = el.textContent && el.textContent.trim();
    if (v) data.push(v);
  }
  return { texts: out, data };
})()`;

/**
 * The page's text a reader meets, less what is marked translate="no" or lang="en"; and the data
 * values the page marks translate="no", which an aria-label may repeat ("Phasenzuordnung für New
 * Business" names a record type).
 */
export async function visibleTexts(page: Page): Promise<{ texts: string[]; data: string[] }> {
  return page.evaluate<{ texts: string[]; data: string[] }>(collect);
}

/** Each English word left on the page, with the text it was found in. */
export async function englishLeft(page: Page): Promise<string[]> {
  const found: string[] = [];
  const { texts, data } = await visibleTexts(page);
  const values = [...new Set(data)].sort((a, b) => b.length - a.length);
  for (const text of texts) {
    const rest = values.reduce((t, v) => t.split(v).join(' '), text);
    for (const w of words(rest)) if (englishOnly.has(w)) found.push(`"${w}" in "${text}"`);
  }
  return [...new Set(found)];
}
