// A person at the Salesforce emulator's sign-in pages, without a browser: open the authorize URL,
// submit the login form, answer the consent page; returns the callback URL Salesforce redirects
// to (its query carries the code and state, or the error). For tests of the flow's edges; the
// browser test (web/e2e/connect.e2e.test.ts) goes through the same pages in Chromium.

const fields = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1]!,
      m[2]!
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>'),
    ]),
  );

async function post(url: string, body: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
    redirect: 'manual',
  });
}

export async function signIn(
  authorizeUrl: string,
  who: { username: string; password: string; decision?: 'allow' | 'deny' },
): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${await page.text()}`);
  const action = new URL('/services/oauth2/authorize', authorizeUrl).toString();
  const consent = await (
    await post(action, { ...fields(await page.text()), username: who.username, password: who.password })
  ).text();
  const request = /name="request" value="([^"]+)"/.exec(consent)?.[1];
  if (!request) throw new Error(`no consent page: ${consent.slice(0, 200)}`);
  const done = await post(action, {
    ...fields(consent),
    step: 'consent',
    request,
    decision: who.decision ?? 'allow',
  });
  const location = done.headers.get('location');
  if (done.status !== 302 || !location) throw new Error(`consent answered ${done.status}`);
  return new URL(location);
}

/** The callback's query as the server's route reads it. */
export function callbackQuery(url: URL): Record<string, string | undefined> {
  return Object.fromEntries(url.searchParams);
}
