import type { SubjectReport, SubjectReportExchange } from './subject-report.dto';
import {
  outcomeVi,
  subjectReportCsv,
  subjectReportHtml,
  vietnamTime,
} from './subject-report-render';

const exchange = (over: Partial<SubjectReportExchange> = {}): SubjectReportExchange => ({
  eventId: '0193a1b2-0000-7000-8000-000000000001',
  eventType: 'population.citizen-registered.v1',
  publishedAt: '2026-12-05T17:30:00.000Z',
  completedAt: '2026-12-05T17:30:01.000Z',
  service: 'citizen-registration',
  serviceName: 'Đăng ký công dân',
  provider: 'population',
  providerName: 'Cơ sở dữ liệu quốc gia về dân cư',
  consumer: 'insurance',
  consumerName: 'Bảo hiểm xã hội',
  purpose: 'Cấp thẻ BHYT miễn phí cho trẻ dưới 6 tuổi',
  legalBasis: 'Nghị định 146/2018/NĐ-CP, Điều 13 khoản 2',
  status: 'SUCCESS',
  errorCode: null,
  late: false,
  ...over,
});

const report = (exchanges: SubjectReportExchange[]): SubjectReport => ({
  generatedAt: '2026-12-06T02:05:00.000Z',
  subjectHash: 'a'.repeat(64),
  exchanges,
  truncated: false,
});

describe('subject report rendering', () => {
  it('writes times as dd/MM/yyyy HH:mm in Vietnam time, across midnight and the year', () => {
    expect(vietnamTime('2026-12-05T17:30:00.000Z')).toBe('06/12/2026 00:30');
    expect(vietnamTime('2026-12-31T16:59:59.000Z')).toBe('31/12/2026 23:59');
    expect(vietnamTime('2026-12-31T17:00:00.000Z')).toBe('01/01/2027 00:00');
  });

  it('names each outcome in Vietnamese, with the error code and lateness', () => {
    expect(outcomeVi({ status: 'SUCCESS', errorCode: null, late: false })).toBe('Đã nhận và xử lý');
    expect(outcomeVi({ status: 'FAILED', errorCode: 'POPULATION.NOT_FOUND', late: true })).toBe(
      'Không xử lý được (mã lỗi POPULATION.NOT_FOUND; xác nhận muộn)',
    );
    expect(outcomeVi({ status: 'TIMED_OUT', errorCode: null, late: false })).toBe(
      'Quá hạn, chưa có xác nhận',
    );
  });

  it('prints a Vietnamese document with the headers, a row per exchange, and no ID number', () => {
    const html = subjectReportHtml(
      report([exchange(), exchange({ consumer: 'civil-status', purpose: null, legalBasis: null })]),
    );
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Công dân có số định danh do người yêu cầu cung cấp');
    expect(html).toContain('Ngày lập báo cáo: 06/12/2026 09:05');
    for (const h of [
      'Thời điểm',
      'Dịch vụ',
      'Bên cung cấp',
      'Bên nhận',
      'Mục đích',
      'Căn cứ pháp lý',
      'Kết quả',
    ])
      expect(html).toContain(`<th>${h}</th>`);
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html).toContain('<td>06/12/2026 00:30</td><td>Đăng ký công dân</td>');
    expect(html).toContain('<td>(chưa ghi nhận)</td>');
    expect(html).not.toMatch(/\d{9,}/);
    // Inline only: nothing to fetch, nothing to run.
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
  });

  it('escapes what the catalogue says, so a purpose cannot inject markup', () => {
    const html = subjectReportHtml(report([exchange({ purpose: '<img src=x onerror=alert(1)>' })]));
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it('says so when there is nothing to report', () => {
    expect(subjectReportHtml(report([]))).toContain('Không có lượt trao đổi dữ liệu nào');
  });

  it('gives CSV a header and one quoted-where-needed line per exchange', () => {
    const csv = subjectReportCsv(
      report([exchange({ legalBasis: 'Luật Cư trú 2020; "Điều 1", khoản 2' })]),
    );
    const [header, line, end] = csv.split('\n');
    expect(header.split(',').slice(0, 4)).toEqual([
      'publishedAt',
      'completedAt',
      'service',
      'serviceName',
    ]);
    expect(line).toContain('"Luật Cư trú 2020; ""Điều 1"", khoản 2"');
    expect(line.startsWith('2026-12-05T17:30:00.000Z,')).toBe(true);
    expect(end).toBe('');
  });
});
