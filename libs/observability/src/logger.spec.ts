import pino from 'pino';
import { REDACTED_PATHS } from './logger';

describe('log redaction', () => {
  it('censors personal data at any of the known depths', () => {
    const lines: string[] = [];
    const logger = pino(
      { redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      { write: (l: string) => lines.push(l) },
    );
    logger.info(
      {
        personalId: '001324000001',
        mother: { personalId: '001190000002', fullName: 'Lê Thị Hoa' },
        payload: { child: { fullName: 'Nguyễn Văn An' } },
      },
      'x',
    );
    const out = lines.join('');
    expect(out).not.toContain('001324000001');
    expect(out).not.toContain('001190000002');
    expect(out).not.toContain('Hoa');
    expect(out).not.toContain('An"');
  });
});
