import type { SubjectReport, SubjectReportExchange } from './subject-report.dto';

/** Vietnam keeps one offset all year (no daylight saving): UTC+7. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

/** `dd/MM/yyyy HH:mm`, Vietnam time. */
export function vietnamTime(iso: string): string {
  const t = new Date(new Date(iso).getTime() + VIETNAM_OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}`;
}

const STATUS_VI: Record<string, string> = {
  SUCCESS: 'Đã nhận và xử lý',
  FAILED: 'Không xử lý được',
  REJECTED: 'Bị từ chối',
  TIMED_OUT: 'Quá hạn, chưa có xác nhận',
  PENDING: 'Đang chờ xác nhận',
};

/** The outcome as a person reads it: the status, and the error code or lateness if any. */
export function outcomeVi(x: Pick<SubjectReportExchange, 'status' | 'errorCode' | 'late'>) {
  const notes = [
    ...(x.errorCode ? [`mã lỗi ${x.errorCode}`] : []),
    ...(x.late ? ['xác nhận muộn'] : []),
  ];
  const label = STATUS_VI[x.status] ?? x.status;
  return notes.length ? `${label} (${notes.join('; ')})` : label;
}

const CSV_COLUMNS = [
  'publishedAt',
  'completedAt',
  'service',
  'serviceName',
  'provider',
  'providerName',
  'consumer',
  'consumerName',
  'purpose',
  'legalBasis',
  'status',
  'errorCode',
  'late',
  'eventId',
  'eventType',
] as const satisfies readonly (keyof SubjectReportExchange)[];

const csvCell = (v: string | boolean | null): string => {
  if (v === null) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One line per exchange, the JSON answer's fields as columns (times in ISO 8601, UTC). */
export function subjectReportCsv(report: SubjectReport): string {
  const lines = report.exchanges.map((x) => CSV_COLUMNS.map((c) => csvCell(x[c])).join(','));
  return [CSV_COLUMNS.join(','), ...lines].map((l) => `${l}\n`).join('');
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const HEADERS = [
  'Thời điểm',
  'Dịch vụ',
  'Bên cung cấp',
  'Bên nhận',
  'Mục đích',
  'Căn cứ pháp lý',
  'Kết quả',
];
const NOT_RECORDED = '(chưa ghi nhận)';

function rowCells(x: SubjectReportExchange): string[] {
  const at = x.publishedAt ?? x.completedAt;
  return [
    at ? vietnamTime(at) : '',
    x.serviceName ?? x.service ?? x.eventType ?? '',
    x.providerName ?? x.provider ?? '',
    x.consumerName ?? x.consumer,
    x.purpose ?? NOT_RECORDED,
    x.legalBasis ?? NOT_RECORDED,
    outcomeVi(x),
  ];
}

const STYLE = `
  @page { size: A4 landscape; margin: 15mm; }
  body { font-family: "Times New Roman", Times, serif; font-size: 12pt; color: #000; margin: 0 auto; max-width: 277mm; }
  header { text-align: center; margin-bottom: 12pt; }
  header p { margin: 2pt 0; }
  h1 { font-size: 16pt; text-transform: uppercase; margin: 8pt 0; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #000; padding: 3pt 4pt; vertical-align: top; text-align: left; }
  th { background: #eee; }
  td { overflow-wrap: anywhere; }
  td:first-child { white-space: nowrap; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
  .note { font-size: 10pt; margin-top: 10pt; }`;

/**
 * A printable document in Vietnamese: a title, who it is about — never the ID number, which
 * the person asking already holds — the date, and one table row per exchange. Everything is
 * inline (no script, font or image to fetch), so it prints the same anywhere.
 */
export function subjectReportHtml(report: SubjectReport): string {
  const rows = report.exchanges
    .map(
      (x) =>
        `<tr>${rowCells(x)
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const body = report.exchanges.length
    ? `<table>
<thead><tr>${HEADERS.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : '<p>Không có lượt trao đổi dữ liệu nào về công dân này.</p>';
  const truncated = report.truncated
    ? `<p class="note">Báo cáo chỉ liệt kê ${report.exchanges.length.toLocaleString('vi-VN')} lượt trao đổi đầu tiên.</p>`
    : '';
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Báo cáo lịch sử trao đổi dữ liệu cá nhân</title>
<style>${STYLE}
</style>
</head>
<body>
<header>
<p>Nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP)</p>
<h1>Báo cáo lịch sử trao đổi dữ liệu cá nhân</h1>
<p>Công dân có số định danh do người yêu cầu cung cấp</p>
<p>Ngày lập báo cáo: ${vietnamTime(report.generatedAt)}</p>
<p>Số lượt trao đổi: ${report.exchanges.length}</p>
</header>
${body}
${truncated}
<p class="note">Mỗi dòng là một lần dữ liệu về công dân được chuyển từ bên cung cấp đến bên nhận qua LGSP, với mục đích và căn cứ pháp lý của quyền nhận dữ liệu tại thời điểm đó. Thời gian theo giờ Việt Nam (UTC+7).</p>
</body>
</html>
`;
}
