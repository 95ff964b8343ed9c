import { type BirthRegisteredV1, type ReceiptV1, VALID_EXAMPLES } from '@lgsp/contracts';
import { type InboundMessage, subjectKey } from '@lgsp/messaging';
import { randomUUID } from 'node:crypto';
import type { Route } from '../catalogue/catalogue.service';
import { REDACTED, StoredValues, UNREADABLE_ERROR_CODE } from '../privacy/stored-values';
import { type NewLogEntry, toLogEntry } from './log-entry.mapper';

const KEY = 'spec-subject-hash-key-0123456789';
const values = new StoredValues(KEY);
const BIRTH = 'civil-status.birth-registered.v1';
const POPULATION = { consumer: 'population', termsId: 1 };
const routes = new Map<string, Route>([
  [BIRTH, { service: 'birth-registration', provider: 'civil-status', subscribers: [POPULATION] }],
]);
/** Raw ID numbers a producer put where only pseudonyms belong. */
const IN_KEY = '001190011111';
const IN_SUBJECT = '001190022222';
const IN_CORRELATION = '001190033333';
const IN_TEXT = '001190044444';
const RAW = [IN_KEY, IN_SUBJECT, IN_CORRELATION, IN_TEXT];

/** A record as a client of any kind could produce it: headers, key and value by hand. */
function foreign(
  headers: Record<string, string>,
  value: object | string,
  topic = 'lgsp.civil-status.birth-registered.v1',
): InboundMessage {
  return {
    topic,
    partition: 2,
    offset: '41',
    key: IN_KEY,
    headers: {
      ce_specversion: '1.0',
      ce_id: randomUUID(),
      ce_source: '/lgsp/01/civil-status',
      ce_type: `vn.lgsp.${BIRTH}`,
      ce_time: new Date().toISOString(),
      ce_correlationid: IN_CORRELATION,
      ce_subject: IN_SUBJECT,
      'content-type': 'application/json',
      ...headers,
    },
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    timestamp: String(Date.now() + 1000),
  };
}

const birth = VALID_EXAMPLES[BIRTH] as BirthRegisteredV1;
const holdsNoRawId = (e: NewLogEntry) => {
  const stored = JSON.stringify(e);
  for (const id of RAW) expect(stored).not.toContain(id);
};

describe('what the log keeps of a record a foreign producer made', () => {
  it('hashes the subject the contract names, not the key, and derives the correlation id', () => {
    const e = toLogEntry(foreign({}, birth), routes, values);
    expect(e.kind).toBe('PUBLISHED');
    expect(e.subjectHash).toBe(subjectKey(KEY, `birth:${birth.registrationId}`));
    expect(e.correlationId).toBe(values.id(IN_CORRELATION));
    holdsNoRawId(e);
  });

  it("stores a plain CloudEvents producer's case under its ce_id, derived when not a UUID", () => {
    const plain = (headers: Record<string, string>, value: object | string) => {
      const m = foreign(headers, value);
      delete m.headers.ce_correlationid;
      return m;
    };
    const uuid = randomUUID();
    const read = toLogEntry(plain({ ce_id: uuid }, birth), routes, values);
    expect([read.kind, read.eventId, read.correlationId]).toEqual(['PUBLISHED', uuid, uuid]);
    const raw = toLogEntry(plain({ ce_id: IN_TEXT }, birth), routes, values);
    expect([raw.kind, raw.correlationId]).toEqual(['PUBLISHED', values.id(IN_TEXT)]);
    expect(raw.correlationId).toBe(raw.eventId);
    const unread = toLogEntry(plain({ ce_id: IN_TEXT }, 'not json'), routes, values);
    expect([unread.kind, unread.correlationId]).toEqual(['REJECTED', values.id(IN_TEXT)]);
    for (const e of [raw, unread]) holdsNoRawId(e);
  });

  it('hashes the key of a record it cannot read, and derives an id that is not a UUID', () => {
    const e = toLogEntry(foreign({ ce_id: IN_TEXT }, 'not json'), routes, values);
    expect([e.kind, e.errorCode]).toEqual(['REJECTED', 'ENVELOPE.INVALID_JSON']);
    expect(e.subjectHash).toBe(subjectKey(KEY, IN_KEY));
    expect(e.eventId).toBe(values.id(IN_TEXT));
    holdsNoRawId(e);
  });

  it('scrubs the ID numbers its own reasons would quote from the headers', () => {
    const unknown = toLogEntry(
      foreign({ ce_type: `vn.lgsp.x.${IN_TEXT}.v1` }, birth),
      routes,
      values,
    );
    expect(unknown.reason).toBe(`unknown event type vn.lgsp.x.${REDACTED}.v1`);
    const stranger = toLogEntry(
      foreign({ ce_source: `/lgsp/01/${IN_TEXT}` }, birth),
      routes,
      values,
    );
    expect(stranger.errorCode).toBe('HUB.UNAUTHORISED_PUBLISHER');
    expect(stranger.subjectHash).toBe(subjectKey(KEY, `birth:${birth.registrationId}`));
    for (const e of [unknown, stranger]) holdsNoRawId(e);
  });

  it('keeps of a receipt no ID its consumer wrote into it, and leaves its subject to its event', () => {
    const r: ReceiptV1 = {
      eventId: IN_TEXT,
      eventType: `vn.lgsp.${BIRTH}`,
      consumer: 'population',
      status: 'REJECTED',
      errorCode: `PARENT_${IN_TEXT}`,
      reason: `mother ${IN_TEXT} is not in the register`,
      attempts: 1,
      receivedAt: new Date().toISOString(),
      completedAt: new Date().toISOString(),
    };
    const e = toLogEntry(
      foreign({ ce_source: '/lgsp/01/population', ce_type: 'vn.lgsp.hub.receipt.v1' }, r),
      routes,
      values,
    );
    expect(e.kind).toBe('RECEIPT');
    expect(e.eventId).toBe(values.id(IN_TEXT));
    expect(e.errorCode).toBe(UNREADABLE_ERROR_CODE);
    expect(e.reason).toBe(`mother ${REDACTED} is not in the register`);
    expect(e.subjectHash).toBeNull();
    holdsNoRawId(e);
  });
});
