// Change Data Capture over the Streaming API (CometD at /cometd/62.0), driven by jsforce 3's own
// streaming client (faye, long-polling) with its Replay extension, as a connector would use it.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamingExtension } from 'jsforce/api/streaming';
import { API, rawFetch, startOrg } from './testing.js';
import type { TestOrg } from './testing.js';

interface ChangeMessage {
  channel?: string;
  data?: { event: { replayId: number }; payload: Record<string, unknown> & { ChangeEventHeader: Header } };
  event?: { replayId: number };
  payload?: Record<string, unknown> & { ChangeEventHeader: Header };
}
interface Header {
  entityName: string;
  recordIds: string[];
  changeType: string;
  changedFields: string[];
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  transactionKey: string;
  sequenceNumber: number;
  changeOrigin: string;
}

let org: TestOrg;
before(async () => {
  org = await startOrg({ seed: 'demo' });
  await org.admin('POST', 'cdc/settings', { connectTimeoutMs: 2000 });
});
interface Faye {
  disconnect(): void;
  _state: number;
  DISCONNECTED: number;
  _advice: { reconnect: string };
  _dispatcher: { close(): void };
}
const clients: Faye[] = [];
/** faye's disconnect() ignores a client that is not connected, which then retries for ever. */
function closeFaye(c: Faye): void {
  c.disconnect();
  c._advice.reconnect = 'none';
  c._state = c.DISCONNECTED;
  c._dispatcher.close();
}
after(async () => {
  for (const c of clients) closeFaye(c);
  await org.close();
});
beforeEach(async () => {
  await org.admin('POST', 'cdc/selection', {
    entities: ['Opportunity', 'Account', 'OpportunityContactRole'],
  });
});

/** Subscribes with jsforce's faye client and collects what arrives. */
function listen(channel: string, replayId = -1) {
  const got: ChangeMessage[] = [];
  const client = org.conn.streaming.createClient([new StreamingExtension.Replay(channel, replayId)]);
  clients.push(client as unknown as Faye);
  const waiters: (() => void)[] = [];
  const sub = client.subscribe(channel, (m: ChangeMessage) => {
    got.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const until = async (n: number, ms = 5000) => {
    const end = Date.now() + ms;
    while (got.length < n) {
      if (Date.now() > end) throw new Error(`only ${got.length} of ${n} events on ${channel}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
    return got;
  };
  const ready = new Promise<void>((resolve, reject) => {
    sub.then(resolve, reject);
  });
  return { got, until, ready, close: () => closeFaye(client as unknown as Faye) };
}

function header(m: ChangeMessage): Header {
  return (m.data ?? m).payload!.ChangeEventHeader;
}
function payload(m: ChangeMessage): Record<string, unknown> {
  return (m.data ?? m).payload!;
}

test('create, update, delete and undelete arrive on /data/OpportunityChangeEvent in commit order', async () => {
  const l = listen('/data/OpportunityChangeEvent');
  await l.ready;
  const created = await org.conn.sobject('Opportunity').create({
    Name: 'CDC one',
    StageName: 'Prospecting',
    CloseDate: '2027-01-31',
  });
  const id = (created as { id: string }).id;
  await org.conn.sobject('Opportunity').update({ Id: id, Amount: 1200 });
  await org.conn.sobject('Opportunity').destroy(id);
  await org.admin('POST', 'undelete', { id });
  const got = await l.until(4);
  assert.deepEqual(
    got.map((m) => header(m).changeType),
    ['CREATE', 'UPDATE', 'DELETE', 'UNDELETE'],
  );
  const [c, u, d, un] = got.map(header);
  assert.deepEqual(c!.recordIds, [id]);
  assert.equal(c!.entityName, 'Opportunity');
  assert.match(c!.changeOrigin, /^com\/salesforce\/api\/rest\/62\.0/);
  assert.equal(payload(got[0]!).Name, 'CDC one');
  assert.equal(payload(got[0]!).StageName, 'Prospecting');
  assert.ok(!('Id' in payload(got[0]!)) && !('SystemModstamp' in payload(got[0]!)));
  assert.deepEqual([...u!.changedFields].sort(), ['Amount', 'ExpectedRevenue', 'LastModifiedDate']);
  assert.equal(payload(got[1]!).Amount, 1200);
  assert.ok(!('Name' in payload(got[1]!)), 'an update carries only the changed fields');
  assert.deepEqual(d!.changedFields, []);
  assert.equal(payload(got[3]!).Name, 'CDC one', 'an undelete carries the record again');
  assert.ok(c!.commitNumber < u!.commitNumber && u!.commitNumber < d!.commitNumber);
  assert.ok(un!.commitTimestamp >= c!.commitTimestamp);
  const ids = got.map((m) => (m.data ?? m).event!.replayId);
  assert.deepEqual(
    [...ids].sort((a, b) => a - b),
    ids,
  );
  l.close();
});

test('one transaction that gives many records the same change is one event with all their ids', async () => {
  const q = await org.conn.query<{ Id: string }>(
    'SELECT Id FROM Opportunity WHERE IsClosed = false LIMIT 150',
  );
  const ids = q.records.map((r) => r.Id);
  const l = listen('/data/ChangeEvents');
  await l.ready;
  // sObject Collections: one request, one transaction, every record the same Description.
  const res = await org.raw('PATCH', `${API}/composite/sobjects`, {
    allOrNone: true,
    records: ids.map((Id) => ({ attributes: { type: 'Opportunity' }, Id, Description: 'bulk note' })),
  });
  assert.equal(res.status, 200);
  // Merged within one second: a request that straddles a second boundary makes two events.
  const seen = () => l.got.flatMap((m) => header(m).recordIds).length;
  await l.until(1);
  const end = Date.now() + 3000;
  while (seen() < ids.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.ok(l.got.length <= 2, `${l.got.length} events for one transaction`);
  assert.deepEqual(l.got.flatMap((m) => header(m).recordIds).sort(), [...ids].sort());
  for (const m of l.got)
    assert.deepEqual([...header(m).changedFields].sort(), ['Description', 'LastModifiedDate']);
  l.close();
});

test('an unselected entity gets no events; the Tooling API lists the selection', async () => {
  await org.admin('POST', 'cdc/selection', { remove: ['Opportunity'] });
  const sel = await org.conn.tooling.query<{ SelectedEntity: string }>(
    "SELECT SelectedEntity FROM PlatformEventChannelMember WHERE EventChannel = 'ChangeEvents'",
  );
  assert.deepEqual(sel.records.map((r) => r.SelectedEntity).sort(), [
    'AccountChangeEvent',
    'OpportunityContactRoleChangeEvent',
  ]);
  const l = listen('/data/ChangeEvents');
  await l.ready;
  await org.conn
    .sobject('Opportunity')
    .create({ Name: 'unseen', StageName: 'Prospecting', CloseDate: '2027-01-31' });
  const acc = (await org.conn.sobject('Account').create({ Name: 'Seen Inc' })) as { id: string };
  const got = await l.until(1);
  assert.equal(header(got[0]!).entityName, 'Account');
  assert.deepEqual(header(got[0]!).recordIds, [acc.id]);
  l.close();
});

test('replay: -2 gives what is retained, a stored id what follows it, an expired id fails', async () => {
  const a = (await org.conn.sobject('Account').create({ Name: 'Replay A' })) as { id: string };
  const b = (await org.conn.sobject('Account').create({ Name: 'Replay B' })) as { id: string };
  const all = listen('/data/AccountChangeEvent', -2);
  await all.ready;
  const got = await all.until(2);
  const ofA = got.find((m) => header(m).recordIds[0] === a.id)!;
  all.close();
  const from = listen('/data/AccountChangeEvent', (ofA.data ?? ofA).event!.replayId);
  await from.ready;
  const after = await from.until(1);
  assert.ok(after.some((m) => header(m).recordIds[0] === b.id));
  assert.ok(!after.some((m) => header(m).recordIds[0] === a.id));
  from.close();
  // 73 hours later the id has left the 72-hour retention window.
  await org.admin('POST', 'clock', { advance: '73h' });
  org.accessToken = (await org.emu.admin.issueTokens()).accessToken;
  const hs = await rawFetch(
    `${org.emu.url}/cometd/62.0`,
    'POST',
    [{ channel: '/meta/handshake', version: '1.0' }],
    {
      Authorization: `OAuth ${org.accessToken}`,
    },
  );
  const clientId = (hs.body as { clientId: string }[])[0]!.clientId;
  const sub = await rawFetch(
    `${org.emu.url}/cometd/62.0`,
    'POST',
    [
      {
        channel: '/meta/subscribe',
        clientId,
        subscription: '/data/AccountChangeEvent',
        ext: { replay: { '/data/AccountChangeEvent': (ofA.data ?? ofA).event!.replayId } },
      },
    ],
    { Authorization: `OAuth ${org.accessToken}` },
  );
  const r = (sub.body as { successful: boolean; error: string }[])[0]!;
  assert.equal(r.successful, false);
  assert.match(r.error, /^400::The replayId \{\d+\} you provided was invalid/);
});

test('forced gap and overflow events; the delivery allocation in /limits; a dropped client re-handshakes', async () => {
  const q = await org.conn.query<{ Id: string }>('SELECT Id FROM Opportunity LIMIT 2');
  const ids = q.records.map((r) => r.Id);
  const l = listen('/data/OpportunityChangeEvent');
  await l.ready;
  const before = (await org.admin('GET', 'cdc')).body as { deliveries: { used: number } };
  await org.admin('POST', 'cdc/gap', { entity: 'Opportunity', changeType: 'GAP_UPDATE', recordIds: ids });
  await org.admin('POST', 'cdc/overflow', { entity: 'Opportunity' });
  const got = await l.until(2);
  assert.equal(header(got[0]!).changeType, 'GAP_UPDATE');
  assert.deepEqual(header(got[0]!).recordIds, ids);
  assert.equal(header(got[1]!).changeType, 'GAP_OVERFLOW');
  assert.deepEqual(header(got[1]!).recordIds, []);
  const limits = (await org.conn.request<Record<string, { Max: number; Remaining: number }>>(`${API}/limits`))
    .DailyDeliveredPlatformEvents!;
  const state = (await org.admin('GET', 'cdc')).body as { deliveries: { used: number; allocation: number } };
  assert.ok(state.deliveries.used >= before.deliveries.used + 2, 'each delivered event counts');
  assert.deepEqual(limits, {
    Max: state.deliveries.allocation,
    Remaining: state.deliveries.allocation - state.deliveries.used,
  });
  // Dropped: faye re-handshakes and resubscribes by itself; the next change still arrives.
  const dropped = (await org.admin('POST', 'cdc/drop', {})).body as { dropped: number };
  assert.ok(dropped.dropped >= 1);
  await org.conn.sobject('Opportunity').update({ Id: ids[0]!, Description: 'after the drop' });
  const more = await l.until(3, 15_000);
  assert.equal(payload(more[2]!).Description, 'after the drop');
  l.close();
});
