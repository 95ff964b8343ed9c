import { subjectKey } from '@lgsp/messaging';
import { StoredValues } from '../privacy/stored-values';
import { auditWhere, recordedFilter } from './audit-log';

const KEY = 'audit-spec-subject-hash-key';
const CITIZEN = '001324000001';

describe('audit filters', () => {
  it('looks an id up as the hub stores it and as given, and a citizen by hash only', () => {
    const stored = new StoredValues(KEY).id(`death-of-${CITIZEN}`);
    const { sql, params } = auditWhere(
      { correlationId: `death-of-${CITIZEN}`, citizenId: CITIZEN },
      KEY,
    );
    expect(sql).toBe('correlation_id = ANY($1) AND subject_hash = $2');
    expect(params).toEqual([[stored, `death-of-${CITIZEN}`], subjectKey(KEY, CITIZEN)]);
  });

  it('keeps a UUID as it is', () => {
    const id = '01a20203-618a-76de-87cc-2114943b21e2';
    expect(auditWhere({ eventId: id }, KEY).params).toEqual([[id]]);
  });

  it('records no ID number in the trail of audit queries', () => {
    const recorded = recordedFilter(
      { correlationId: `death-of-${CITIZEN}`, eventId: `e-${CITIZEN}`, citizenId: CITIZEN },
      KEY,
    );
    expect(JSON.stringify(recorded)).not.toContain(CITIZEN);
    expect(recorded.citizenSubjectHash).toBe(subjectKey(KEY, CITIZEN));
    expect(recorded.correlationId).toBe(new StoredValues(KEY).id(`death-of-${CITIZEN}`));
  });
});
