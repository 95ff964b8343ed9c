import { VALID_EXAMPLES } from '@lgsp/contracts';
import type { KafkaHeaders } from '../envelope';
import type { InboundMessage } from './inbound';
import { decodeInbound } from './inbound-decoder';

const TYPE = 'land.ownership-registered.v1';
const ID = '0190f0a4-6a3e-7c2b-9d4e-1f2a3b4c5d6e';

/** An ownership registration as a plain CloudEvents producer writes it: no LGSP extension. */
function plainRecord(headers: KafkaHeaders = {}): InboundMessage {
  return {
    topic: `lgsp.${TYPE}`,
    partition: 0,
    offset: '7',
    key: 'k',
    headers: {
      ce_specversion: '1.0',
      ce_id: ID,
      ce_source: '/lgsp/01/land',
      ce_type: `vn.lgsp.${TYPE}`,
      ce_time: '2026-11-30T08:00:00Z',
      'content-type': 'application/json',
      ...headers,
    },
    value: Buffer.from(JSON.stringify(VALID_EXAMPLES[TYPE])),
    timestamp: String(Date.now()),
  };
}

describe('a consumer reading a record of a plain CloudEvents producer', () => {
  it('accepts it without ce_correlationid, in the case its ce_id opens', () => {
    const decoded = decodeInbound(plainRecord(), TYPE);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.eventId).toBe(ID);
    expect(decoded.envelope.correlationId).toBe(ID);
  });

  it('still refuses it without ce_time, naming what is missing', () => {
    const m = plainRecord();
    delete m.headers.ce_time;
    const decoded = decodeInbound(m, TYPE);
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect([decoded.error.code, decoded.error.message]).toEqual([
      'ENVELOPE.MISSING_ATTRIBUTES',
      'missing headers: ce_time',
    ]);
  });
});
