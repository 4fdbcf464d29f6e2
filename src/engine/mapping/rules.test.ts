import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listMappings, RULE_NAMES, ruleName, withRule } from './rules.js';
import type { FieldMapping } from './types.js';

const custom: FieldMapping = {
  salesforceField: 'NextStep',
  hubspotProperty: 'next_step',
  rule: 'always_salesforce',
  custom: true,
};

test('the CLI names of the four rules, both ways', () => {
  assert.deepEqual(Object.keys(RULE_NAMES), ['prefer-salesforce', 'always-salesforce', 'two-way', 'none']);
  for (const [name, rule] of Object.entries(RULE_NAMES)) assert.equal(ruleName(rule), name);
});

test('listMappings: the defaults in DESIGN order with their rule, then the custom ones', () => {
  const rows = listMappings([
    { salesforceField: 'Description', hubspotProperty: 'description', rule: 'dont_sync', custom: false },
    custom,
  ]);
  assert.equal(rows[0]?.hubspotProperty, 'salesforce_opportunity_id');
  assert.equal(rows[0]?.editable, false);
  const byProp = new Map(rows.map((r) => [r.hubspotProperty, r]));
  assert.equal(byProp.get('description')?.rule, 'none');
  assert.equal(byProp.get('amount')?.rule, 'always-salesforce');
  assert.equal(byProp.get('amount')?.editable, true);
  assert.equal(byProp.get('dealstage')?.editable, true);
  assert.equal(byProp.get('pipeline')?.editable, false);
  assert.deepEqual(rows.at(-1), {
    hubspotProperty: 'next_step',
    salesforceField: 'NextStep',
    rule: 'always-salesforce',
    kind: 'custom',
    editable: true,
    note: 'custom mapping',
  });
});

test('withRule: a default gets an override, back to always-salesforce drops it; a custom one changes', () => {
  const set = withRule([custom], 'amount', 'prefer_salesforce_unless_blank');
  assert.ok(set.ok);
  assert.deepEqual(set.mappings[1], {
    salesforceField: 'Amount',
    hubspotProperty: 'amount',
    rule: 'prefer_salesforce_unless_blank',
    custom: false,
  });
  const back = withRule(set.mappings, 'amount', 'always_salesforce');
  assert.ok(back.ok);
  assert.deepEqual(back.mappings, [custom]);
  const c = withRule([custom], 'next_step', 'two_way');
  assert.ok(c.ok);
  assert.equal(c.mappings[0]?.rule, 'two_way');
});

test('withRule refuses the fixed defaults and properties that are not mapped, saying what can be set', () => {
  const fixed = withRule([custom], 'pipeline', 'two_way');
  assert.ok(!fixed.ok);
  assert.match(fixed.reason, /fixed rule/);
  assert.match(
    fixed.reason,
    /amount, closedate, dealtype, description, hubspot_owner_id, dealstage, next_step/,
  );
  const stage = withRule([custom], 'dealstage', 'dont_sync');
  assert.ok(!stage.ok);
  assert.match(stage.reason, /two-way or always-salesforce only/);
  assert.ok(withRule([custom], 'dealstage', 'two_way').ok);
  const unknown = withRule([], 'nope', 'dont_sync');
  assert.ok(!unknown.ok);
  assert.match(unknown.reason, /"nope" is not mapped/);
});
