import { countRefusals } from './kafka-refusals';

const line = (at: string, who: string, op: string, resource: string, request = 'Produce') =>
  `[${at}] INFO Principal = User:${who} is Denied operation = ${op} from host = 127.0.0.1 on resource = ${resource} for request = ${request} with resourceRefCount = 1 based on rule DefaultDeny (kafka.authorizer.logger)`;

describe('countRefusals', () => {
  it('counts denied requests by principal, operation, resource and request', () => {
    const birth = 'Topic:LITERAL:lgsp.civil-status.birth-registered.v1';
    const refusals = countRefusals([
      line('2026-11-22 06:48:04,489', 'land', 'DESCRIBE', birth, 'Metadata'),
      '[2026-11-22 06:48:04,500] INFO something else entirely (kafka.authorizer.logger)',
      line('2026-11-22 06:48:05,001', 'land', 'DESCRIBE', birth, 'Metadata'),
      line('2026-11-22 06:48:06,000', 'insurance', 'READ', 'Group:LITERAL:lgsp.land'),
    ]);
    expect(refusals).toEqual([
      {
        principal: 'User:land',
        operation: 'DESCRIBE',
        resource: birth,
        request: 'Metadata',
        count: 2,
        first: '2026-11-22 06:48:04,489',
        last: '2026-11-22 06:48:05,001',
      },
      expect.objectContaining({ principal: 'User:insurance', operation: 'READ', count: 1 }),
    ]);
  });

  it('finds nothing in a log without refusals', () => {
    expect(countRefusals(['', '[t] INFO Principal = User:x is Allowed operation = READ'])).toEqual(
      [],
    );
  });
});
