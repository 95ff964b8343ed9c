import { Catalogue, hubService, RecordExchangeUseCase } from '@apps/hub';
import { HubClient, subjectReportCommand } from '@apps/hubctl';
import { type CitizenRegisteredV1, type ReceiptV1, VALID_EXAMPLES } from '@lgsp/contracts';
import { subjectKey } from '@lgsp/messaging';
import { asInbound, eventRecord, http, issueKey, query, TestStack } from '@lgsp/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';

type Exchange = {
  eventId: string;
  consumer: string;
  purpose: string | null;
  legalBasis: string | null;
  status: string;
  errorCode: string | null;
  providerName: string | null;
};
type Report = { subjectHash: string; exchanges: Exchange[]; truncated: boolean };

const CITIZEN_REGISTERED = 'population.citizen-registered.v1';
const CE_TYPE = `vn.lgsp.${CITIZEN_REGISTERED}`;

/**
 * A citizen's own exchange history: the transactions about them carry the purpose and legal
 * basis of the subscription each was delivered under; the auditor's report lists them, in
 * JSON, CSV and a printable page; the ID number reaches neither the database nor the log.
 */
describe('hub: a citizen’s exchange history (subject report)', () => {
  let stack: TestStack;
  let auditor: Record<string, string>;
  let dir: string;
  const citizenId = '001226000555';
  const other = '001226000556';
  const third = '001226000557';
  const logLines: string[] = [];
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const db = () => stack.databaseUrl('hub');
  const events: string[] = [];

  const inbound = asInbound();
  const registered = (personalId: string) => {
    const data: CitizenRegisteredV1 = {
      ...(VALID_EXAMPLES[CITIZEN_REGISTERED] as CitizenRegisteredV1),
      personalId,
      birthRegistrationId: randomUUID(),
    };
    return eventRecord(stack, 'population', CITIZEN_REGISTERED, data);
  };
  const receipt = (
    consumer: string,
    eventId: string,
    status: ReceiptV1['status'],
    errorCode?: string,
  ) => {
    const now = new Date();
    const r: ReceiptV1 = {
      eventId,
      eventType: CE_TYPE,
      consumer,
      status,
      errorCode,
      attempts: 1,
      receivedAt: new Date(now.getTime() - 5).toISOString(),
      completedAt: now.toISOString(),
    };
    return eventRecord(stack, consumer, 'hub.receipt.v1', r);
  };
  const record = (rs: ReturnType<typeof eventRecord>[]) =>
    stack.service('hub').app.get(RecordExchangeUseCase).record(rs.map(inbound));
  const report = (body: object, headers = auditor) =>
    http<Report & { code?: string }>('POST', hub('/audit/subject-report'), body, headers);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lgsp-subject-report-'));
    stack = await TestStack.start([hubService], {
      suffix: '_subject_report',
      env: { LOG_LEVEL: 'debug' },
    });
    // Every line the hub logs from here on, as written (after its own redaction).
    const logger = stack.service('hub').logger as unknown as Record<
      symbol,
      { write: (s: string) => unknown }
    >;
    const stream = logger[pino.symbols.streamSym];
    const write = stream.write.bind(stream);
    stream.write = (s: string) => {
      logLines.push(s);
      return write(s);
    };
    auditor = { 'x-api-key': await issueKey(stack.url('hub'), 'AUDITOR') };

    // The newborn's registration reaches civil status (which fails it) and insurance.
    const first = registered(citizenId);
    await record([first]);
    await record([
      receipt('insurance', first.eventId, 'SUCCESS'),
      receipt('civil-status', first.eventId, 'FAILED', 'CIVIL_STATUS.BIRTH_NOT_FOUND'),
    ]);
    // A second one whose receipt is read before the event itself.
    const second = registered(citizenId);
    await record([receipt('insurance', second.eventId, 'SUCCESS')]);
    await record([second, registered(other)]);
    events.push(first.eventId, second.eventId);
  });

  afterAll(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every exchange about the citizen with purpose, legal basis and outcome', async () => {
    const res = await report({ citizenId });
    expect(res.status).toBe(200);
    expect(res.body.subjectHash).toBe(
      subjectKey(stack.service('hub').config.SUBJECT_HASH_KEY, citizenId),
    );
    const byKey = new Map(res.body.exchanges.map((x) => [`${x.eventId} ${x.consumer}`, x]));
    expect(res.body.exchanges).toHaveLength(4);
    expect(byKey.get(`${events[0]} insurance`)).toMatchObject({
      purpose: 'Cấp thẻ BHYT miễn phí cho trẻ dưới 6 tuổi',
      legalBasis: expect.stringContaining('Nghị định 146/2018/NĐ-CP') as string,
      status: 'SUCCESS',
    });
    expect(byKey.get(`${events[0]} civil-status`)).toMatchObject({
      purpose: 'Ghi số định danh cá nhân vào sổ đăng ký khai sinh',
      legalBasis: 'Luật Hộ tịch 2014; Luật Căn cước 2023',
      status: 'FAILED',
      errorCode: 'CIVIL_STATUS.BIRTH_NOT_FOUND',
    });
    // The outcome came first; the publication still gave it its purpose.
    expect(byKey.get(`${events[1]} insurance`)).toMatchObject({
      purpose: 'Cấp thẻ BHYT miễn phí cho trẻ dưới 6 tuổi',
      status: 'SUCCESS',
    });
    expect(byKey.get(`${events[1]} civil-status`)).toMatchObject({ status: 'PENDING' });
  });

  it('answers the same to GET with the ID number as a query parameter', async () => {
    const res = await http<Report>(
      'GET',
      hub(`/audit/subject-report?citizenId=${citizenId}`),
      undefined,
      auditor,
    );
    expect(res.status).toBe(200);
    expect(res.body.exchanges).toHaveLength(4);
  });

  it('gives CSV and a printable Vietnamese page with their content types', async () => {
    const csv = await fetch(hub(`/audit/subject-report?citizenId=${citizenId}&format=csv`), {
      headers: auditor,
    });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).trimEnd().split('\n');
    expect(lines[0].startsWith('publishedAt,completedAt,service')).toBe(true);
    expect(lines).toHaveLength(5);

    const html = await fetch(hub('/audit/subject-report'), {
      method: 'POST',
      headers: { ...auditor, 'content-type': 'application/json' },
      body: JSON.stringify({ citizenId, format: 'html' }),
    });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("style-src 'unsafe-inline'");
    const page = await html.text();
    expect(page).toContain('<th>Căn cứ pháp lý</th>');
    expect(page).toContain('Cấp thẻ BHYT miễn phí cho trẻ dưới 6 tuổi');
    expect(page).not.toContain(citizenId);
  });

  it('is for auditors: an operator key is refused', async () => {
    const operator = { 'x-api-key': await issueKey(stack.url('hub'), 'OPERATOR') };
    const res = await report({ citizenId }, operator);
    expect([res.status, res.body.code]).toEqual([403, 'HUB.FORBIDDEN']);
  });

  it('refuses what is not a personal ID number', async () => {
    const res = await report({ citizenId: '12345' });
    expect([res.status, res.body.code]).toEqual([400, 'REQUEST.VALIDATION_FAILED']);
  });

  it('is written by hubctl audit subject-report to a file', async () => {
    const client = new HubClient(stack.url('hub'), auditor['x-api-key']);
    const out = join(dir, 'report.html');
    await subjectReportCommand(client, { citizen: citizenId, format: 'html', out });
    expect(readFileSync(out, 'utf8')).toContain('Báo cáo lịch sử trao đổi dữ liệu cá nhân');
    const json = await subjectReportCommand(client, { citizen: citizenId });
    expect((JSON.parse(json!) as Report).exchanges).toHaveLength(4);
  });

  it('keeps the terms a transaction was delivered under when the subscription is reworded', async () => {
    const reworded = 'Cấp thẻ BHYT cho trẻ em (mục đích sửa đổi)';
    await query(
      db(),
      "UPDATE subscriptions SET purpose = $1 WHERE consumer = 'insurance' AND service = 'citizen-registration'",
      [reworded],
    );
    stack.service('hub').app.get(Catalogue).invalidate();
    await record([registered(third)]);

    const before = (await report({ citizenId })).body.exchanges.filter(
      (x) => x.consumer === 'insurance',
    );
    expect(before.map((x) => x.purpose)).toEqual([
      'Cấp thẻ BHYT miễn phí cho trẻ dưới 6 tuổi',
      'Cấp thẻ BHYT miễn phí cho trẻ dưới 6 tuổi',
    ]);
    const after = (await report({ citizenId: third })).body.exchanges;
    expect(after.find((x) => x.consumer === 'insurance')?.purpose).toBe(reworded);
    // The operator's and auditor's views of a transaction give the same terms.
    const tx = await http<Exchange[]>('GET', hub(`/transactions/${events[0]}`), undefined, auditor);
    expect(tx.body.find((t) => t.consumer === 'insurance')).toMatchObject({
      purpose: 'Cấp thẻ BHYT miễn phí cho trẻ dưới 6 tuổi',
      legalBasis: expect.stringContaining('Nghị định 146/2018/NĐ-CP') as string,
    });
    const page = await http<Exchange[]>(
      'GET',
      hub('/transactions?consumer=insurance'),
      undefined,
      auditor,
    );
    expect(page.body.map((t) => t.purpose)).toContain(reworded);
    // Each wording is one row, and a row once written is never changed.
    const terms = await query<{ purpose: string }>(
      db(),
      "SELECT purpose FROM subscription_terms WHERE consumer = 'insurance' AND service_code = 'citizen-registration' ORDER BY id",
    );
    expect(terms.map((t) => t.purpose)).toEqual([
      'Cấp thẻ BHYT miễn phí cho trẻ dưới 6 tuổi',
      reworded,
    ]);
    await expect(query(db(), "UPDATE subscription_terms SET purpose = 'x'")).rejects.toThrow(
      /append-only/,
    );
  });

  it('is in the audit trail by subject hash, and the ID number is in neither trail nor log', async () => {
    const trail = await query<{ filter: { citizenSubjectHash: string; format: string } }>(
      db(),
      "SELECT filter FROM audit_queries WHERE action = 'subject-report' ORDER BY at",
    );
    const key = stack.service('hub').config.SUBJECT_HASH_KEY;
    const hashes = [citizenId, third].map((id) => subjectKey(key, id));
    expect(trail.length).toBeGreaterThanOrEqual(6);
    expect(trail.map((t) => t.filter.format)).toEqual(
      expect.arrayContaining(['json', 'csv', 'html']),
    );
    for (const t of trail) expect(hashes).toContain(t.filter.citizenSubjectHash);
    const [{ n }] = await query<{ n: string }>(
      db(),
      'SELECT count(*) AS n FROM audit_queries a WHERE a::text LIKE $1',
      [`%${citizenId}%`],
    );
    expect(n).toBe('0');
    // Nothing on the report's path logs the request, but should a line ever carry its URL
    // (an access log, an error), the hub's log output censors the number all the same.
    const seen = logLines.length;
    stack
      .service('hub')
      .logger.warn({ url: `/audit/subject-report?citizenId=${citizenId}` }, 'a request URL');
    expect(logLines.length).toBe(seen + 1);
    expect(logLines.at(-1)).toContain('citizenId=[redacted]');
    expect(logLines.join('')).not.toContain(citizenId);
  });
});
