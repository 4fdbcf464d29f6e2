// Demo activity for the sandbox: every so often a sales rep "edits" an opportunity in the
// Salesforce emulator (through Salesforce's public REST API, as a person's browser would), so the
// live sync has changes to show within seconds. Stops with the sandbox.

interface ActivityOptions {
  salesforceUrl: string;
  clientId: string;
  clientSecret: string;
  everyMs?: number;
  log: (line: string) => void;
}

const API = '/services/data/v62.0';

async function token(o: ActivityOptions): Promise<{ accessToken: string; instanceUrl: string }> {
  const res = await fetch(`${o.salesforceUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: o.clientId,
      client_secret: o.clientSecret,
    }),
  });
  if (!res.ok) throw new Error(`sandbox activity: token request failed with ${res.status}`);
  const body = (await res.json()) as { access_token: string; instance_url: string };
  return { accessToken: body.access_token, instanceUrl: body.instance_url };
}

export function startDemoActivity(o: ActivityOptions): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let tick = 0;

  async function editOne(): Promise<void> {
    const { accessToken, instanceUrl } = await token(o);
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const q = encodeURIComponent(
      `SELECT Id, Name, Amount FROM Opportunity WHERE IsClosed = false ORDER BY Id LIMIT 1 OFFSET ${(tick * 37) % 200}`,
    );
    const found = await fetch(`${instanceUrl}${API}/query?q=${q}`, { headers });
    if (!found.ok) return;
    const rows = ((await found.json()) as { records: { Id: string; Name: string; Amount: number | null }[] })
      .records;
    const opp = rows[0];
    if (!opp) return;
    const amount = Math.round(((opp.Amount ?? 10_000) * 1.05 + 100) / 10) * 10;
    const res = await fetch(`${instanceUrl}${API}/sobjects/Opportunity/${opp.Id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ Amount: amount }),
    });
    if (res.ok) o.log(`Salesforce: "${opp.Name}" amount changed to ${amount}`);
  }

  const edit = () => {
    if (stopped) return;
    tick++;
    running = editOne().catch((err: unknown) => o.log(`sandbox activity: ${String(err)}`));
  };
  // The first edit comes quickly, so a new user sees a change synced within seconds of the start.
  const first = setTimeout(edit, 2_000);
  const timer = setInterval(edit, o.everyMs ?? 15_000);
  first.unref();
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
