// The logger: JSON lines off a terminal, short lines on one (or as configured), secret fields
// censored by name, and every configured secret's value scrubbed from whatever a line holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServer } from '../server/app.js';
import { TEST_SECRETS } from '../server/testing.js';
import { createLogger, prettyLine, REDACTED, redactUrl, resolveFormat, scrubSecrets } from './log.js';

function capture(isTTY = false) {
  const lines: string[] = [];
  return { lines, destination: { write: (l: string) => lines.push(l), isTTY } };
}

test('JSON by default off a terminal, pretty on one; the configured format wins', () => {
  assert.equal(resolveFormat(undefined, { write: () => 0 }), 'json');
  assert.equal(resolveFormat(undefined, { write: () => 0, isTTY: true }), 'pretty');
  assert.equal(resolveFormat('json', { write: () => 0, isTTY: true }), 'json');
  assert.equal(resolveFormat('pretty', { write: () => 0 }), 'pretty');
  const json = capture();
  createLogger({ secrets: [], destination: json.destination }).info({ passId: 'p-1' }, 'sync pass finished');
  const entry = JSON.parse(json.lines[0] ?? '') as Record<string, unknown>;
  assert.equal(entry.msg, 'sync pass finished');
  assert.equal(entry.passId, 'p-1');
  assert.equal(entry.level, 30);
  assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT/);
  const tty = capture(true);
  createLogger({ secrets: [], destination: tty.destination }).warn({ code: 'X' }, 'hello');
  assert.match(tty.lines[0] ?? '', /^\d\d:\d\d:\d\d\.\d{3} WARN {2}hello code=X\n$/);
});

test('secret fields are censored by name, and secret values wherever they appear', () => {
  const secret = 'pat-na1-0000-SECRET';
  const quoted = 'se"cret\\value-123';
  const { lines, destination } = capture();
  const log = createLogger({ secrets: [secret, quoted], destination, level: 'debug' });
  log.info(
    {
      req: { headers: { authorization: 'Bearer abc', cookie: 'dealbridge_session=xyz', host: 'h' } },
      hubspot: { accessToken: 'whatever-it-is' },
      token: 'top-level',
    },
    `HubSpot said 401 for ${secret}`,
  );
  log.debug({ detail: { deep: { deeper: `x${quoted}y` } } }, 'nested');
  const text = lines.join('');
  assert.ok(!text.includes(secret) && !text.includes('se\\"cret'), text);
  assert.ok(!text.includes('Bearer abc') && !text.includes('xyz') && !text.includes('whatever-it-is'));
  const first = JSON.parse(lines[0] ?? '') as {
    req: Record<string, unknown>;
    hubspot: { accessToken: string };
    token: string;
    msg: string;
  };
  assert.equal(first.req.headers, undefined, 'a request is logged without its headers');
  assert.equal(first.hubspot.accessToken, REDACTED);
  assert.equal(first.token, REDACTED);
  assert.equal(first.msg, `HubSpot said 401 for ${REDACTED}`);
  assert.equal(
    (JSON.parse(lines[1] ?? '') as { detail: { deep: { deeper: string } } }).detail.deep.deeper,
    `x${REDACTED}y`,
  );
});

test('a secret added later (a rotated admin token) is scrubbed from then on', () => {
  const secrets: string[] = [];
  const { lines, destination } = capture();
  const log = createLogger({ secrets, destination });
  secrets.push('rotated-admin-token-abcdef');
  log.info('now rotated-admin-token-abcdef');
  assert.ok(!lines.join('').includes('rotated-admin-token-abcdef'));
});

test('scrubSecrets and prettyLine on their own', () => {
  assert.equal(scrubSecrets('a S3CRET b S3CRET', ['S3CRET']), `a ${REDACTED} b ${REDACTED}`);
  assert.equal(scrubSecrets('nothing here', ['S3CRET', '']), 'nothing here');
  assert.equal(prettyLine('not json\n'), 'not json\n');
  assert.equal(
    prettyLine('{"level":50,"time":"2026-05-20T12:00:01.234Z","pid":1,"hostname":"h","msg":"m","n":{"a":1}}'),
    '12:00:01.234 ERROR m n={"a":1}\n',
  );
});

test("request lines carry the request's id and no credential from its URL", async () => {
  assert.equal(redactUrl('/login?code=abc&x=1'), `/login?code=${REDACTED}&x=1`);
  assert.equal(redactUrl('/api/records?q=code'), '/api/records?q=code');
  const lines: string[] = [];
  const app = await buildServer({
    adminToken: TEST_SECRETS.adminToken,
    logger: true,
    logStream: { write: (l: string) => lines.push(l) },
  });
  const res = await app.inject({ method: 'GET', url: '/login?code=one-time-code-123456' });
  const entries = lines.map(
    (l) => JSON.parse(l) as { requestId?: string; req?: { url: string }; msg: string },
  );
  const incoming = entries.find((e) => e.msg === 'incoming request');
  assert.equal(incoming?.req?.url, `/login?code=${REDACTED}`);
  assert.equal(incoming?.requestId, res.headers['x-request-id']);
  assert.ok(entries.some((e) => e.msg === 'request completed' && e.requestId === incoming?.requestId));
  assert.ok(!lines.join('').includes('one-time-code-123456'));
  // A security event of a request carries its id too.
  const wrong = await app.inject({ method: 'POST', url: '/api/login', payload: { token: 'x'.repeat(20) } });
  const event = lines
    .map((l) => JSON.parse(l) as { requestId?: string; event?: string; msg: string })
    .find((e) => e.event === 'security' && e.msg.includes('wrong admin token'));
  assert.equal(event?.requestId, wrong.headers['x-request-id']);
});
