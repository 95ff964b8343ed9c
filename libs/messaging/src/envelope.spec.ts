import { correlationIdOf, decodeEnvelope, type KafkaHeaders } from './envelope';
import { RejectedMessageError } from './errors';

const ID = '0190f0a4-6a3e-7c2b-9d4e-1f2a3b4c5d6e';
const CASE = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

/** What a plain CloudEvents producer (kcat, a Java SDK) writes: no LGSP extension. */
const plain: KafkaHeaders = {
  ce_specversion: '1.0',
  ce_id: ID,
  ce_source: '/lgsp/01/land',
  ce_type: 'vn.lgsp.land.ownership-registered.v1',
  ce_time: '2026-11-30T08:00:00Z',
  'content-type': 'application/json',
};
const value = Buffer.from('{"a":1}');

function refusal(headers: KafkaHeaders): RejectedMessageError {
  try {
    decodeEnvelope(headers, value);
  } catch (e) {
    if (e instanceof RejectedMessageError) return e;
    throw e;
  }
  throw new Error('the envelope was accepted');
}

describe('the envelope of a record', () => {
  it("takes a plain CloudEvents record without ce_correlationid into a case of its own: its ce_id's", () => {
    const envelope = decodeEnvelope(plain, value);
    expect(envelope.correlationId).toBe(ID);
    expect(envelope.id).toBe(ID);
  });

  it('keeps the ce_correlationid a producer gives, and treats an empty one as absent', () => {
    expect(decodeEnvelope({ ...plain, ce_correlationid: CASE }, value).correlationId).toBe(CASE);
    expect(decodeEnvelope({ ...plain, ce_correlationid: '' }, value).correlationId).toBe(ID);
  });

  it.each(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_time'])(
    'still refuses a record without %s, naming it',
    (name) => {
      const headers = { ...plain };
      delete headers[name];
      const e = refusal(headers);
      expect(e.code).toBe('ENVELOPE.MISSING_ATTRIBUTES');
      expect(e.message).toBe(`missing headers: ${name}`);
    },
  );

  it('names every missing attribute at once, and never ce_correlationid', () => {
    expect(refusal({ 'content-type': 'application/json' }).message).toBe(
      'missing headers: ce_specversion, ce_id, ce_source, ce_type, ce_time',
    );
  });
});

describe('the case of a record, read before its envelope is checked', () => {
  it('is its ce_correlationid, else its ce_id, else none', () => {
    expect(correlationIdOf({ ce_id: ID, ce_correlationid: CASE })).toBe(CASE);
    expect(correlationIdOf({ ce_id: ID })).toBe(ID);
    expect(correlationIdOf({ ce_id: ID, ce_correlationid: '' })).toBe(ID);
    expect(correlationIdOf({})).toBeUndefined();
  });
});
