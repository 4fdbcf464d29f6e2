import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DealbridgeError,
  errorCatalogue,
  errorCodes,
  httpErrorCatalogue,
  httpErrorCodes,
  isDealbridgeError,
  isErrorCode,
  isHttpErrorCode,
  germanErrorTexts,
  germanHttpErrorTexts,
  type ErrorTexts,
} from './index.js';

// The page holds the catalogue's codes, then (under "# HTTP API errors") the HTTP API's own.
const [docs = '', httpDocs = ''] = readFileSync(
  new URL('../../docs/errors.md', import.meta.url),
  'utf8',
).split(/^# HTTP API errors\n/m);

/** `## CODE` sections of docs/errors.md, in order, with their bodies. */
function sections(md: string): { code: string; body: string }[] {
  const parts = md.split(/^## /m).slice(1);
  return parts.map((p) => {
    const nl = p.indexOf('\n');
    return { code: p.slice(0, nl).trim(), body: p.slice(nl + 1) };
  });
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

const paragraph = (body: string, label: string) =>
  new RegExp(`\\*\\*${label}\\.\\*\\*\\s+([\\s\\S]*?)(?=\\n\\s*\\n|$)`).exec(body)?.[1] ?? '';

/** The German half of a section states the German title, meaning and fix of the catalogue. */
function assertGerman(body: string, de: ErrorTexts | undefined): void {
  assert.ok(de, 'no German texts in catalogue-de.ts');
  assert.equal(normalise(paragraph(body, 'Titel')), normalise(de.title));
  assert.equal(normalise(paragraph(body, 'Bedeutung')), normalise(de.description));
  assert.equal(normalise(paragraph(body, 'Behebung')), normalise(de.fix));
}

void test('every catalogue code has exactly one docs section, and no section is stray', () => {
  const found = sections(docs).map((s) => s.code);
  assert.deepEqual([...found].sort(), [...errorCodes].sort());
  assert.equal(new Set(found).size, found.length, 'duplicate sections');
});

void test('docs sections follow the catalogue order', () => {
  assert.deepEqual(
    sections(docs).map((s) => s.code),
    [...errorCodes],
  );
});

for (const { code, body } of sections(docs)) {
  void test(`docs section ${code} states meaning, fix, scope, retry and exit code as the catalogue does`, () => {
    assert.ok(isErrorCode(code), `${code} is not in the catalogue`);
    const info = errorCatalogue[code];
    const meaning = /\*\*Meaning\.\*\*\s+([\s\S]*?)(?=\n\s*\n|$)/.exec(body)?.[1];
    const fix = /\*\*Fix\.\*\*\s+([\s\S]*?)(?=\n\s*\n|$)/.exec(body)?.[1];
    assert.ok(meaning && meaning.trim().length > 20, 'Meaning paragraph missing');
    assert.ok(fix && fix.trim().length > 5, 'Fix paragraph missing');
    assert.equal(normalise(meaning), normalise(info.description));
    assert.equal(normalise(fix), normalise(info.fix));
    const summary = normalise(body.split('\n\n').find((p) => p.trim().length > 0) ?? '');
    assert.equal(
      summary,
      `**${info.title}** · ${info.severity} · scope: ${info.scope} · retryable: ${info.retryable ? 'yes' : 'no'} · exit code: ${info.exitCode}`,
    );
    assertGerman(body, germanErrorTexts[code]);
  });
}

void test('catalogue entries are consistent', () => {
  for (const code of errorCodes) {
    const info = errorCatalogue[code];
    assert.equal(info.code, code);
    assert.ok(info.title && info.description && info.fix);
    if (info.scope === 'fatal') assert.equal(info.retryable, false, `${code}: fatal errors need the user`);
    if (info.scope === 'record' && code !== 'INTERNAL') assert.equal(info.exitCode, 1, code);
    // A warning is about a record that synced: never a pass or fatal stop.
    if (info.severity === 'warning') assert.equal(info.scope, 'record', code);
    assert.ok(Number.isInteger(info.exitCode) && info.exitCode > 0 && info.exitCode < 126, code);
  }
  assert.ok(Object.isFrozen(errorCatalogue) && Object.isFrozen(errorCatalogue.OWNER_NOT_FOUND));
});

void test('every code has German texts, none left in English, and no stray German entry', () => {
  for (const [english, german] of [
    [errorCatalogue, germanErrorTexts],
    [httpErrorCatalogue, germanHttpErrorTexts],
  ] as const) {
    assert.deepEqual(Object.keys(german).sort(), Object.keys(english).sort());
    for (const [code, de] of Object.entries(german) as [string, ErrorTexts][]) {
      const en = (english as Record<string, ErrorTexts>)[code];
      for (const part of ['title', 'description', 'fix'] as const) {
        assert.ok(de[part].trim().length > 0, `${code}.${part} is empty in German`);
        // Short texts may share words ("Setup"), but no German text is the English one copied.
        assert.notEqual(
          normalise(de[part]),
          normalise(en?.[part] ?? ''),
          `${code}.${part} is not translated`,
        );
      }
    }
  }
});

void test('DealbridgeError carries code, record, field, cause and the catalogue info', () => {
  const cause = new Error('socket hang up');
  const e = new DealbridgeError('HUBSPOT_UNAVAILABLE', 'HubSpot answered 503', {
    record: 'opportunity:006A',
    field: 'amount',
    cause,
  });
  assert.ok(isDealbridgeError(e));
  assert.ok(e instanceof Error);
  assert.equal(e.code, 'HUBSPOT_UNAVAILABLE');
  assert.equal(e.record, 'opportunity:006A');
  assert.equal(e.field, 'amount');
  assert.equal(e.cause, cause);
  assert.equal(e.info.scope, 'pass');
  assert.equal(e.exitCode, 6);
  assert.equal(new DealbridgeError('CONFIG_INVALID', 'x').exitCode, 2);
  assert.equal(new DealbridgeError('AUTH_FAILED', 'x').exitCode, 3);
  assert.equal(isDealbridgeError(new Error('x')), false);
  assert.equal(isDealbridgeError({ code: 'INTERNAL' }), false);
  assert.equal(isErrorCode('NOPE'), false);
  assert.equal(isErrorCode('toString'), false);
});

void test('docs list every HTTP API code once, in the catalogue order, and no stray one', () => {
  assert.ok(httpDocs.length > 0, 'docs/errors.md has no "# HTTP API errors" part');
  assert.deepEqual(
    sections(httpDocs).map((s) => s.code),
    [...httpErrorCodes],
  );
});

for (const { code, body } of sections(httpDocs)) {
  void test(`docs section ${code} states meaning, fix and HTTP status as the catalogue does`, () => {
    assert.ok(isHttpErrorCode(code), `${code} is not an HTTP API code of the catalogue`);
    const info = httpErrorCatalogue[code];
    const meaning = /\*\*Meaning\.\*\*\s+([\s\S]*?)(?=\n\s*\n|$)/.exec(body)?.[1];
    const fix = /\*\*Fix\.\*\*\s+([\s\S]*?)(?=\n\s*\n|$)/.exec(body)?.[1];
    assert.equal(normalise(meaning ?? ''), normalise(info.description));
    assert.equal(normalise(fix ?? ''), normalise(info.fix));
    const summary = normalise(body.split('\n\n').find((p) => p.trim().length > 0) ?? '');
    assert.equal(summary, `**${info.title}** · HTTP ${info.status}`);
    assertGerman(body, germanHttpErrorTexts[code]);
  });
}

void test('HTTP API codes are 4xx, distinct from record codes, and frozen', () => {
  for (const code of httpErrorCodes) {
    const info = httpErrorCatalogue[code];
    assert.equal(info.code, code);
    assert.ok(info.status >= 400 && info.status < 500, code);
    assert.equal(isErrorCode(code), false, `${code} is also a record code`);
    assert.ok(info.title && info.description && info.fix, code);
  }
  assert.equal(isHttpErrorCode('OWNER_NOT_FOUND'), false);
  assert.equal(isHttpErrorCode('toString'), false);
  assert.ok(Object.isFrozen(httpErrorCatalogue) && Object.isFrozen(httpErrorCatalogue.bad_request));
});
