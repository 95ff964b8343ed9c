import type { InboundMessage } from '@lgsp/messaging';
import { QueryFailedError } from 'typeorm';
import { isPassingFailure, UNSTORABLE_RECORD, unstorableEntry } from './unstorable-record';

const record = (timestamp: string): InboundMessage => ({
  topic: 'lgsp.land.ownership-registered.v1',
  partition: 2,
  offset: '41',
  key: '079190001234',
  headers: { ce_id: '079190001234', ce_correlationid: 'a\u0000b' },
  value: Buffer.from('{"owner":"079190001234"}'),
  timestamp,
});

const failure = (sqlState: string) =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error('failed'), { code: sqlState }));

describe('unstorableEntry', () => {
  it('is made only of what the hub computes: position, payload hash, code', () => {
    const e = unstorableEntry(record('1763600000000'), failure('22P05'));
    expect(e).toMatchObject({
      recordId: 'lgsp.land.ownership-registered.v1/2/41',
      eventId: 'lgsp.land.ownership-registered.v1/2/41',
      kind: 'REJECTED',
      status: 'REJECTED',
      consumer: 'hub',
      errorCode: UNSTORABLE_RECORD,
      reason: 'the record could not be logged as it came (SQLSTATE 22P05)',
      subjectHash: null,
      correlationId: null,
      occurredAt: new Date(1763600000000),
    });
    expect(e.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(e)).not.toContain('079190001234');
  });

  it('holds a broker timestamp the database cannot take within its range, the same each time', () => {
    const early = unstorableEntry(record('-62167219200000'), new RangeError('Invalid time value'));
    expect(early.occurredAt.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(early.reason).toBe('the record could not be logged as it came (RangeError)');
    const late = unstorableEntry(record('8640000000000000'), new Error('x'));
    expect(late.occurredAt.toISOString()).toBe('9999-12-31T00:00:00.000Z');
    expect(unstorableEntry(record('not a number'), 'x').occurredAt.getTime()).toBe(0);
  });
});

describe('isPassingFailure', () => {
  it.each(['08006', '40001', '40P01', '53300', '57014', '57P01', '55P03'])(
    'says SQLSTATE %s will pass',
    (state) => expect(isPassingFailure(failure(state))).toBe(true),
  );

  it.each(['22P05', '22008', '22021', '54000', '23502'])(
    'says SQLSTATE %s is the records’ doing',
    (state) => expect(isPassingFailure(failure(state))).toBe(false),
  );

  it('does not call an error without a SQLSTATE passing', () => {
    expect(isPassingFailure(new RangeError('Invalid time value'))).toBe(false);
    expect(isPassingFailure(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
  });
});
