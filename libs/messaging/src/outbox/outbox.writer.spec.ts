import { RECEIPT, type ReceiptV1, validatePayload } from '@lgsp/contracts';
import { OutboxWriter } from './outbox.writer';

const writer = new OutboxWriter({
  system: 'insurance',
  provinceCode: '01',
  topicPrefix: '',
  subjectHashKey: 'k',
});

/** What the hub reads back of a receipt the writer made. */
function readBack(r: ReceiptV1): ReturnType<typeof validatePayload> {
  const m = writer.receipt(r, { correlationId: 'c', key: null });
  return validatePayload(RECEIPT, JSON.parse(m.payload!.toString('utf8')));
}

describe('OutboxWriter.receipt', () => {
  const at = new Date().toISOString();

  it('makes receipts the contract accepts, at the bounds the transport keeps them in', () => {
    const refusal: ReceiptV1 = {
      eventId: 'x'.repeat(200), // ids are cut to 200 characters
      consumer: 'insurance',
      status: 'FAILED',
      errorCode: 'DELIVERY.RETRIES_EXHAUSTED',
      reason: 'ư'.repeat(1000), // reasons to 1,000
      attempts: 1,
      receivedAt: at,
      completedAt: at,
    };
    expect(readBack(refusal).errors).toEqual([]);
    const applied: ReceiptV1 = { ...refusal, eventType: 'vn.lgsp.x.y.v1', status: 'SUCCESS' };
    delete applied.errorCode;
    delete applied.reason;
    expect(readBack(applied).errors).toEqual([]);
  });

  it('does not check them itself: a receipt outside the contract is written as it is, for the hub to refuse', () => {
    const broken = { eventId: 'e', consumer: 'insurance', status: 'SUCCESS', attempts: 0 };
    expect(readBack(broken as unknown as ReceiptV1).errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['attempts', 'receivedAt', 'completedAt']),
    );
  });
});
