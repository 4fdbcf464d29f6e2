// The login page in the web UI's language (issue #16): the UI's language cookie, else the
// browser's Accept-Language, else English; the JSON API's messages stay as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildServer } from './app.js';
import { loginLanguage } from './login-page.js';

const adminToken = 'test-admin-token-0123456789';
const server = () => buildServer({ adminToken, routes: () => undefined });

void test('a German browser gets the login form in German, the cookie of the switch wins', async () => {
  const app = await server();
  const de = await app.inject({
    method: 'GET',
    url: '/login',
    headers: { 'accept-language': 'de-DE,de;q=0.9' },
  });
  assert.equal(de.statusCode, 200);
  assert.match(de.body, /<html lang="de">/);
  assert.match(de.body, /<label for="token">Admin-Token<\/label>/);
  assert.match(de.body, /<button type="submit">Anmelden<\/button>/);
  const chosen = await app.inject({
    method: 'GET',
    url: '/login',
    headers: { 'accept-language': 'de-DE', cookie: 'dealbridge.language=en' },
  });
  assert.match(chosen.body, /<label for="token">Admin token<\/label>/);
  const plain = await app.inject({ method: 'GET', url: '/login' });
  assert.match(plain.body, /<html lang="en">.*Log in/s);
});

void test('refusals in German on the form, in English in the JSON API as before', async () => {
  const app = await server();
  const form = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'de' },
    payload: 'token=wrong-token-wrong-token',
  });
  assert.equal(form.statusCode, 401);
  assert.match(form.body, /role="alert">Dieses Token ist nicht gültig\.</);
  const link = await app.inject({
    method: 'GET',
    url: '/login?token=x',
    headers: { 'accept-language': 'de' },
  });
  assert.equal(link.statusCode, 400);
  assert.match(link.body, /wird in einem Link nicht angenommen/);
  const api = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: { 'accept-language': 'de' },
    payload: { token: 'nope' },
  });
  assert.equal(api.statusCode, 401);
  assert.equal((api.json() as { message: string }).message, 'That token is not valid.');
});

void test('the language: a cookie we have, else the first Accept-Language we have, else English', () => {
  assert.equal(loginLanguage(undefined, 'fr-FR,de-AT;q=0.8,en;q=0.5'), 'de');
  assert.equal(loginLanguage('de', 'en-US'), 'de');
  assert.equal(loginLanguage('xx', 'en-US'), 'en');
  assert.equal(loginLanguage(undefined, undefined), 'en');
  assert.equal(loginLanguage(undefined, 'fr'), 'en');
});
