import pino from 'pino';
import { REDACTED_PATHS, scrubDigitRuns } from './logger';

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

  it('censors a run of nine digits or more in any field of a line, and keeps the time', () => {
    const lines: string[] = [];
    const logger = pino(
      { hooks: { streamWrite: scrubDigitRuns }, timestamp: pino.stdTimeFunctions.isoTime },
      { write: (l: string) => lines.push(l) },
    );
    logger.warn(
      { eventId: 'death-of-001324000001', key: '123456789', offset: '12345678', code: 'X.Y' },
      'refused: card 0123456789 of 001324000001 is not linked',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/\d{9,}/);
    expect(out).toContain('death-of-[redacted]');
    expect(out).toContain('"offset":"12345678"');
    expect(out).toMatch(/"time":"\d{4}-\d\d-\d\dT/);
  });
});
