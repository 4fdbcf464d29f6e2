// What an org's admins build around a write (issue #13): validation rules, duplicate rules on
// Account and Contact, field updates that fire when a field changes (a workflow rule's or a
// before-save flow's effect: what an echo test has to face), and field history tracking.
//
// Salesforce's order of execution on save (Apex Developer Guide, "Triggers and Order of
// Execution"): system validation, before-save flows, custom validation rules, duplicate rules,
// save, then workflow field updates, then history. The emulator keeps that order: a validation
// rule sees the values a field update will overwrite later, and history records the final ones.
import type { SoqlValue } from './soql/catalog.js';
import { RecordError, type SfError } from './errors.js';
import type { Row } from './table.js';
import { formatDateTime } from './time.js';

/**
 * A validation rule, as the admin API takes it: a field-level condition instead of a formula
 * ("a field-level condition and message is enough"). The write fails when the condition holds
 * for the record as it would be saved.
 */
export interface ValidationRule {
  name: string;
  sobject: string;
  field: string;
  /** `blank`: null or ''. `equals`/`not-equals`: string comparison. `less-than`/`greater-than`: numbers or ISO dates. */
  condition: 'blank' | 'equals' | 'not-equals' | 'less-than' | 'greater-than';
  value?: string | number;
  /** Only when this field changes on update (ISCHANGED); always on create. */
  onlyWhenChanged?: boolean;
  message: string;
  /** Where Salesforce shows the message: a field (then named in `fields`) or the top of the page. */
  errorDisplayField?: string;
  active: boolean;
}

/** A matching rule's exact-match form: records whose fields are all equal, ignoring case. */
export interface DuplicateRule {
  name: string;
  sobject: 'Account' | 'Contact';
  matchFields: string[];
  /** `block` refuses the save; `allow` saves it (Salesforce then only reports, which the API does not show). */
  action: 'block' | 'allow';
  active: boolean;
}

/** When `whenChanged` changes on an update (or is set on create), `set` is written too. */
export interface FieldUpdateRule {
  name: string;
  sobject: string;
  whenChanged: string;
  /** Values to write; `$now` is the save's time (NOW()), `$value` the changed field's new value. */
  set: Record<string, SoqlValue>;
  active: boolean;
}

export interface AutomationView {
  /** The live rows of an object whose field equals value, case-insensitively (duplicate matching). */
  liveRows(sobject: string): Iterable<Readonly<Row>>;
  /** The field's describe type, for DataType in field history. */
  fieldType(sobject: string, field: string): string | undefined;
}

const isBlank = (v: SoqlValue | undefined) => v === null || v === undefined || v === '';

function holds(rule: ValidationRule, v: SoqlValue | undefined): boolean {
  switch (rule.condition) {
    case 'blank':
      return isBlank(v);
    case 'equals':
      return !isBlank(v) && String(v) === String(rule.value);
    case 'not-equals':
      return String(v ?? '') !== String(rule.value ?? '');
    case 'less-than':
    case 'greater-than': {
      if (isBlank(v) || rule.value === undefined) return false;
      const [a, b] = typeof v === 'number' ? [v, Number(rule.value)] : [String(v), String(rule.value)];
      return rule.condition === 'less-than' ? a < b : a > b;
    }
  }
}

export class OrgAutomation {
  validationRules: ValidationRule[] = [];
  duplicateRules: DuplicateRule[] = [];
  fieldUpdates: FieldUpdateRule[] = [];
  /** Fields with history tracking on, per object (Setup › Object Manager › Set History Tracking). */
  readonly tracked = new Map<string, Set<string>>();
  /** Records another transaction holds (id → how many more writes fail with UNABLE_TO_LOCK_ROW). */
  readonly locks = new Map<string, number>();

  constructor(private readonly view: AutomationView) {}

  /**
   * Custom validation and duplicate rules for a save. `merged` is the record as it would be
   * saved; `existing` the row before an update. Throws RecordError with every failing rule.
   */
  check(sobject: string, merged: Record<string, SoqlValue | undefined>, existing?: Readonly<Row>): void {
    const errors: SfError[] = [];
    for (const r of this.validationRules) {
      if (!r.active || r.sobject.toLowerCase() !== sobject.toLowerCase()) continue;
      if (existing && r.onlyWhenChanged && merged[r.field] === existing[r.field]) continue;
      if (!holds(r, merged[r.field])) continue;
      errors.push({
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: r.message,
        fields: r.errorDisplayField ? [r.errorDisplayField] : [],
      });
    }
    if (errors.length === 0) {
      const dup = this.duplicateOf(sobject, merged, existing);
      if (dup) errors.push(dup);
    }
    if (errors.length > 0) throw new RecordError(errors);
  }

  /**
   * A write to a record another transaction holds fails with UNABLE_TO_LOCK_ROW (the lock is
   * released after `locks`' count of attempts). `consume`: this is the write, not a dry check.
   */
  lockCheck(id: string, consume: boolean): void {
    const left = this.locks.get(id);
    if (left === undefined) return;
    if (consume) {
      if (left <= 1) this.locks.delete(id);
      else this.locks.set(id, left - 1);
    }
    throw new RecordError([
      {
        errorCode: 'UNABLE_TO_LOCK_ROW',
        message: `unable to obtain exclusive access to this record or 1 records: ${id}`,
        fields: [],
      },
    ]);
  }

  private duplicateOf(
    sobject: string,
    merged: Record<string, SoqlValue | undefined>,
    existing?: Readonly<Row>,
  ): SfError | undefined {
    for (const r of this.duplicateRules) {
      if (!r.active || r.action !== 'block' || r.sobject.toLowerCase() !== sobject.toLowerCase()) continue;
      const key = (row: Readonly<Record<string, SoqlValue | undefined>>) =>
        r.matchFields.map((f) => String(row[f] ?? '').toLowerCase());
      const mine = key(merged);
      if (mine.some((v) => v === '')) continue;
      // An update is checked only when it changes a field the rule matches on.
      if (existing && r.matchFields.every((f) => merged[f] === existing[f])) continue;
      for (const other of this.view.liveRows(r.sobject)) {
        if (other.Id === existing?.Id) continue;
        if (key(other).every((v, i) => v === mine[i])) {
          return {
            errorCode: 'DUPLICATES_DETECTED',
            message: `Use one of these records? (duplicate rule ${r.name} matched ${String(other.Id)})`,
            fields: [],
          };
        }
      }
    }
    return undefined;
  }

  /**
   * The field updates a save triggers: the values to write on top of the saved row. Fired once
   * per save (Salesforce re-evaluates after a field update, but a rule that fired does not again).
   */
  fieldUpdatesFor(
    sobject: string,
    saved: Readonly<Row>,
    before: Readonly<Row> | undefined,
    nowMs: number,
  ): Record<string, SoqlValue> {
    const out: Record<string, SoqlValue> = {};
    for (const r of this.fieldUpdates) {
      if (!r.active || r.sobject.toLowerCase() !== sobject.toLowerCase()) continue;
      const changed = before
        ? saved[r.whenChanged] !== before[r.whenChanged]
        : !isBlank(saved[r.whenChanged]);
      if (!changed) continue;
      for (const [k, v] of Object.entries(r.set)) {
        // Datetime fields hold epoch milliseconds here; a text field gets NOW() as the API writes it.
        const now = this.view.fieldType(sobject, k) === 'datetime' ? nowMs : formatDateTime(nowMs);
        out[k] = v === '$now' ? now : v === '$value' ? (saved[r.whenChanged] ?? null) : v;
      }
    }
    return out;
  }

  /** History rows a save writes: `created` on insert, then one per tracked field that changed. */
  historyFor(
    sobject: string,
    saved: Readonly<Row>,
    before: Readonly<Row> | undefined,
  ): { Field: string; DataType: string | null; OldValue: SoqlValue; NewValue: SoqlValue }[] {
    const fields = this.tracked.get(sobject);
    if (!fields || fields.size === 0) return [];
    if (!before) return [{ Field: 'created', DataType: null, OldValue: null, NewValue: null }];
    const out = [];
    for (const f of fields) {
      const a = before[f] ?? null;
      const b = saved[f] ?? null;
      if (a === b) continue;
      out.push({
        Field: f,
        DataType: historyDataType(this.view.fieldType(sobject, f)),
        OldValue: a,
        NewValue: b,
      });
    }
    return out;
  }
}

/** DataType values of history rows (the restricted picklist of OpportunityFieldHistory.DataType). */
function historyDataType(type: string | undefined): string | null {
  const map: Record<string, string> = {
    currency: 'Currency',
    date: 'DateOnly',
    datetime: 'DateTime',
    double: 'Double',
    percent: 'Percent',
    picklist: 'DynamicEnum',
    reference: 'EntityId',
    boolean: 'Boolean',
    textarea: 'TextArea',
  };
  return type ? (map[type] ?? 'Text') : null;
}
