import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SfContactRole } from '../../domain/salesforce.js';
import type { SfOpportunityWithRoles } from '../ports/remote.js';
import { scopeTrigger, type TriggerFacts } from './scope-rule.js';

const T = '2024-05-01T10:00:00.000Z';
const BEFORE = '2024-05-01T09:59:59.000+0000';
const AFTER = '2024-05-01T10:00:00.000+0000';

function role(stamp: string, deleted = false): SfContactRole {
  return {
    Id: '00K1',
    OpportunityId: '0061',
    ContactId: '0031',
    Role: null,
    IsPrimary: false,
    SystemModstamp: stamp,
    IsDeleted: deleted,
  };
}
function opp(stamp: string, roles: SfContactRole[] = []): SfOpportunityWithRoles {
  return { Id: '0061', SystemModstamp: stamp, contactRoles: roles } as unknown as SfOpportunityWithRoles;
}
const facts = (f: Partial<TriggerFacts> = {}): TriggerFacts => ({
  startedAt: T,
  admitted: false,
  named: undefined,
  deletedRoles: [],
  ...f,
});

test('each trigger at or after T admits; nothing before T does', () => {
  assert.equal(scopeTrigger(opp(BEFORE, [role(BEFORE)]), facts()), null);
  assert.equal(scopeTrigger(opp(AFTER), facts()), 'changed', 'at T counts (>=)');
  assert.equal(scopeTrigger(opp(BEFORE, [role(AFTER)]), facts()), 'contact-role');
  assert.equal(scopeTrigger(opp(BEFORE), facts({ deletedRoles: [role(AFTER, true)] })), 'contact-role');
  assert.equal(scopeTrigger(opp(BEFORE), facts({ named: 'new-contact' })), 'new-contact');
  assert.equal(scopeTrigger(opp(BEFORE), facts({ admitted: true })), 'admitted');
  assert.equal(scopeTrigger(opp(BEFORE), facts({ startedAt: null })), 'import');
});
