import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Signature } from '@hubspot/api-client';
import { signatureHeaders, signedUri, signV1, signV2, signV3 } from './signature.js';

const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';

void test("v1 and v2 match the worked examples of HubSpot's validation docs", () => {
  // legacydocs.hubspot.com/docs/faq/v2-request-validation (GET and POST examples).
  assert.equal(
    signV2(secret, 'GET', 'https://www.example.com/webhook_uri', ''),
    'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
  );
  assert.equal(
    signV2(secret, 'POST', 'https://www.example.com/webhook_uri', '{"example_field":"example_value"}'),
    '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900',
  );
  // developers.hubspot.com validating-requests, v1 example (secret + body).
  assert.equal(
    signV1(
      secret,
      '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]',
    ),
    '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
  );
});

void test('v3 signatures are accepted by @hubspot/api-client Signature.isValid', () => {
  const url = 'http://127.0.0.1:4567/hooks/hubspot?source=emulator';
  const body = JSON.stringify([{ eventId: 7, objectId: 42, subscriptionType: 'deal.creation' }]);
  const timestamp = Date.now();
  const headers = signatureHeaders(secret, url, body, timestamp);
  assert.equal(headers['X-HubSpot-Request-Timestamp'], String(timestamp));
  assert.equal(
    Signature.isValid({
      signatureVersion: 'v3',
      method: 'POST',
      url,
      requestBody: body,
      clientSecret: secret,
      signature: headers['X-HubSpot-Signature-v3']!,
      timestamp,
    }),
    true,
  );
  assert.equal(
    Signature.isValid({
      signatureVersion: 'v1',
      requestBody: body,
      clientSecret: secret,
      signature: headers['X-HubSpot-Signature']!,
    }),
    true,
  );
  assert.equal(headers['X-HubSpot-Signature-Version'], 'v1');
});

void test('v3 signature changes with every signed part', () => {
  const base = signV3(secret, 'POST', 'https://x.test/h', '[]', 1000);
  assert.notEqual(signV3('other', 'POST', 'https://x.test/h', '[]', 1000), base);
  assert.notEqual(signV3(secret, 'PUT', 'https://x.test/h', '[]', 1000), base);
  assert.notEqual(signV3(secret, 'POST', 'https://x.test/g', '[]', 1000), base);
  assert.notEqual(signV3(secret, 'POST', 'https://x.test/h', '[1]', 1000), base);
  assert.notEqual(signV3(secret, 'POST', 'https://x.test/h', '[]', 1001), base);
  const tampered = signV3(secret, 'POST', 'https://x.test/h', '[]', 1000);
  assert.equal(
    Signature.isValid({
      signatureVersion: 'v3',
      method: 'POST',
      url: 'https://x.test/h',
      requestBody: '[ ]',
      clientSecret: secret,
      signature: tampered,
      timestamp: Date.now(),
    }),
    false,
  );
});

void test('the URI is signed with the documented escapes decoded', () => {
  assert.equal(signedUri('https://x.test/h?a=b%3Ac%2Fd%40e%2ae'), 'https://x.test/h?a=b:c/d@e*e');
  assert.equal(signedUri('https://x.test/h?q=%20%26'), 'https://x.test/h?q=%20%26');
  const encoded = 'https://x.test/h?x=a%3Ab';
  assert.equal(
    signV3(secret, 'POST', encoded, '', 5),
    signV3(secret, 'POST', 'https://x.test/h?x=a:b', '', 5),
  );
});
