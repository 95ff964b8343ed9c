import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { insuranceService } from '@apps/insurance';
import { populationService } from '@apps/population-adapter';
import { type CitizenRegisteredV1, VALID_EXAMPLES } from '@lgsp/contracts';
import type { ServiceDefinition } from '@lgsp/platform';
import {
  aBirthOfRegisteredParents,
  addToRegister,
  eventRecord,
  eventually,
  http,
  issueKey,
  produceRaw,
  query,
  Rng,
  TEST_ADMIN_KEY,
  TestStack,
} from '@lgsp/testing';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..');
const CONSOLE = join(ROOT, 'apps', 'console');
const SHOTS = join(ROOT, 'docs', 'console');
const CHROMIUM = '/usr/bin/chromium';
const AXE = require.resolve('axe-core/axe.min.js');

const vi = {
  number: (n: number) => new Intl.NumberFormat('vi-VN').format(n),
  percent: (r: number) =>
    `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(r * 100)} %`,
};

type Counts = Record<'SUCCESS' | 'FAILED' | 'TIMED_OUT' | 'REJECTED' | 'PENDING', number>;
type Stats = {
  groups: { counts: Counts; successRate: number | null; overallRate: number | null }[];
};

describe('the console: operators and auditors in a browser, in Vietnamese, on live data', () => {
  let stack: TestStack;
  let browser: Browser;
  let operatorKey: string;
  let auditorKey: string;
  const hub = (path: string) => `${stack.url('hub')}${path}`;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    stack = await TestStack.start(
      [civilStatusService, populationService, insuranceService, hubService] as ServiceDefinition[],
      { suffix: '_console', env: { SEAL_INTERVAL_SECONDS: '1' } },
    );
    operatorKey = await issueKey(stack.url('hub'), 'OPERATOR');
    auditorKey = await issueKey(stack.url('hub'), 'AUDITOR');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  function requireBuild(): void {
    if (!existsSync(join(CONSOLE, 'dist', 'index.html')))
      throw new Error(
        'The console is not built: npm install --prefix apps/console && npm run --prefix apps/console build',
      );
  }

  /** A fresh tab (its own sessionStorage), on the sign-in page. */
  async function newTab(opts: { width?: number; height?: number } = {}) {
    requireBuild();
    const context = await browser.newContext({
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(hub('/console/'));
    return page;
  }

  /** A fresh tab signed in with `key`. */
  async function signedIn(key: string, opts: Parameters<typeof newTab>[0] = {}): Promise<Page> {
    const page = await newTab(opts);
    await page.getByLabel('Khóa truy cập (API key)').fill(key);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByText('Đăng nhập với vai trò').waitFor();
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  type Violation = { id: string; impact: string | null; help: string; nodes: string[] };
  /**
   * axe-core's serious and critical violations on the page as it is now (its WCAG 2.x and
   * best-practice rules). The script is served to the tab from the console's own origin (a
   * route of the test, the hub never sees it), so the page's strict policy stays as it is.
   */
  async function accessibilityProblems(page: Page): Promise<Violation[]> {
    const url = hub('/console/__axe-core.js');
    await page.route(url, (route) =>
      route.fulfill({ body: readFileSync(AXE, 'utf8'), contentType: 'text/javascript' }),
    );
    await page.addScriptTag({ url });
    const all = await page.evaluate<Violation[]>(
      `axe.run(document).then((r) => r.violations.map((v) => ({
         id: v.id, impact: v.impact, help: v.help,
         nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`,
    );
    return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  const stats = async (ms: number) => {
    const now = Date.now() + 60_000;
    const q = `from=${new Date(now - ms).toISOString()}&to=${new Date(now).toISOString()}&groupBy=hub`;
    const r = await http<Stats>('GET', hub(`/stats?${q}`), undefined, { 'x-api-key': operatorKey });
    return r.body.groups[0];
  };

  type Schema = Record<string, unknown>;
  type OpenApi = {
    paths: Record<string, Record<string, { responses: Record<string, Schema> }>>;
    components: { schemas: Record<string, Schema> };
  };
  let openApi: OpenApi | undefined;
  const validators = new Map<string, ValidateFunction>();

  /** Every object schema closed: a field the document does not name is an error too. */
  const closed = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(closed);
    if (node === null || typeof node !== 'object') return node;
    const copy = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closed(v)]));
    if ('properties' in copy && !('additionalProperties' in copy))
      copy.additionalProperties = false;
    return copy;
  };

  /**
   * The hub's answer to a call the console makes, checked against the schema the hub's
   * OpenAPI document gives that answer (the console's types are generated from it): every
   * field it requires, nullable only where it says so, and no field it does not name.
   */
  async function described<T = unknown>(
    method: 'GET' | 'POST',
    path: string,
    key: string,
    body?: unknown,
  ): Promise<T> {
    openApi ??= (await http<OpenApi>('GET', hub('/docs-json'))).body;
    const answer = await http<T>(method, hub(path), body, { 'x-api-key': key });
    const bare = path.split('?')[0];
    const template =
      Object.keys(openApi.paths).find((p) => p === bare) ??
      Object.keys(openApi.paths).find((p) =>
        new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare),
      );
    const at = `${method} ${template ?? bare} ${answer.status}`;
    let validate = validators.get(at);
    if (!validate) {
      const response = template
        ? openApi.paths[template][method.toLowerCase()]?.responses[String(answer.status)]
        : undefined;
      const schema = (response?.content as Record<string, Schema> | undefined)?.['application/json']
        ?.schema;
      if (!schema) throw new Error(`${at}: the OpenAPI document describes no such answer`);
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      validate = ajv.compile({
        components: { schemas: closed(openApi.components.schemas) },
        allOf: [schema],
      });
      validators.set(at, validate);
    }
    const errors = validate(answer.body)
      ? []
      : (validate.errors ?? []).map((e) => {
          const extra = (e.params as { additionalProperty?: string }).additionalProperty;
          return `${at}${e.instancePath} ${e.message}${extra ? `: ${extra}` : ''}`;
        });
    expect(errors).toEqual([]);
    return answer.body;
  }

  it('uses the types of the OpenAPI document the hub serves', async () => {
    // Asynchronously: the hub runs in this process and must answer the script.
    const script = join(CONSOLE, 'scripts', 'generate-api.mjs');
    const args = process.env.LGSP_UPDATE_CONSOLE_API ? [] : ['--check'];
    const run = await promisify(execFile)('node', [script, stack.url('hub'), ...args]).catch(
      (e: { stderr: string }) => ({ stderr: e.stderr }),
    );
    expect(run.stderr).toBe('');
  });

  it('serves the console under a strict Content-Security-Policy, with client routes', async () => {
    requireBuild();
    const page = await fetch(hub('/console/transactions'));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<div id="root">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const signIn = await newTab();
    await signIn.getByRole('button', { name: 'Đăng nhập' }).waitFor();
    expect(await accessibilityProblems(signIn)).toEqual([]);
  });

  let correlationId: string;
  let childPersonalId: string;

  it('shows an operator the rates moving with a birth, equal to GET /stats, and its case', async () => {
    const page = await signedIn(operatorKey);
    const { birth, parents } = aBirthOfRegisteredParents(new Rng(1307));
    await addToRegister(stack.databaseUrl('population-adapter'), parents);
    correlationId = randomUUID();
    const posted = await http<{ registrationId: string }>(
      'POST',
      `${stack.url('civil-status')}/births`,
      birth,
      { 'x-correlation-id': correlationId },
    );
    expect(posted.status).toBe(201);
    const chain = await eventually(
      async () => {
        const r = await http<{ steps: { deliveries: { status: string }[] }[] }>(
          'GET',
          hub(`/cases/${correlationId}`),
          undefined,
          { 'x-api-key': operatorKey },
        );
        const deliveries = r.status === 200 ? r.body.steps.flatMap((s) => s.deliveries) : [];
        return deliveries.length >= 3 && deliveries.every((d) => d.status === 'SUCCESS')
          ? deliveries
          : undefined;
      },
      { what: 'the birth chain delivered three times', timeoutMs: 60_000 },
    );
    childPersonalId = (
      await http<{ childPersonalId: string }>(
        'GET',
        `${stack.url('civil-status')}/births/${posted.body.registrationId}`,
      )
    ).body.childPersonalId;

    const hour = await stats(3_600_000);
    const total = Object.values(hour.counts).reduce((a, b) => a + b, 0);
    expect(hour.counts.SUCCESS).toBeGreaterThanOrEqual(3);
    const card = page.getByTestId('rates-hour');
    await card
      .getByTestId('total')
      .filter({ hasText: vi.number(total) })
      .waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('success').textContent()).toBe(vi.number(hour.counts.SUCCESS));
    expect(await card.getByTestId('success-rate').textContent()).toBe(
      vi.percent(hour.successRate!),
    );
    expect(await card.getByTestId('overall-rate').textContent()).toBe(
      vi.percent(hour.overallRate!),
    );
    await shot(page, 'overview');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('link', { name: 'Giao dịch' }).click();
    await page.getByRole('link', { name: correlationId }).first().click();
    const deliveries = page.getByTestId('delivery');
    await deliveries.nth(chain.length - 1).waitFor();
    expect(await deliveries.count()).toBe(chain.length);
    for (const text of await deliveries.allTextContents()) expect(text).toContain('Thành công');
    await shot(page, 'case');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('link', { name: 'Giao dịch' }).click();
    await page.getByRole('table').waitFor();
    await shot(page, 'transactions');
    expect(await accessibilityProblems(page)).toEqual([]);

    const narrow = await signedIn(operatorKey, { width: 390 });
    await narrow
      .getByTestId('rates-hour')
      .getByTestId('total')
      .filter({ hasText: vi.number(total) })
      .waitFor();
    expect(await narrow.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(narrow, 'overview-390px');
  });

  it('shows a poisoned record in dead letters, and replays it to SUCCESS after a dry run', async () => {
    const missingBirth = randomUUID();
    const data: CitizenRegisteredV1 = {
      ...(VALID_EXAMPLES['population.citizen-registered.v1'] as CitizenRegisteredV1),
      personalId: '001226009901',
      birthRegistrationId: missingBirth,
    };
    const poisonCase = randomUUID();
    const poison = eventRecord(
      stack,
      'population',
      'population.citizen-registered.v1',
      data,
      poisonCase,
    );
    await produceRaw(poison.topic, [poison.message]);
    await eventually(
      async () => {
        const r = await http<{ consumer: string; status: string }[]>(
          'GET',
          hub(`/transactions/${poison.eventId}`),
          undefined,
          { 'x-api-key': operatorKey },
        );
        return r.body.find?.((t) => t.consumer === 'civil-status' && t.status === 'FAILED');
      },
      { what: 'the poisoned record dead-lettered', timeoutMs: 60_000 },
    );

    const page = await signedIn(operatorKey);
    await page.getByRole('link', { name: 'Thư lỗi' }).click();
    const row = page.getByTestId('dead-letter').filter({ hasText: poison.eventId });
    await row.waitFor();
    // The answers the page reads are those the document describes (a dry run replays nothing).
    await described('GET', '/dead-letters', operatorKey);
    await described('GET', '/dead-letters/summary', operatorKey);
    await described('GET', `/transactions/${poison.eventId}`, operatorKey);
    const failed = await described<{ status: string; stoppedAt?: { consumer: string } }>(
      'GET',
      `/cases/${poisonCase}`,
      operatorKey,
    );
    expect([failed.status, failed.stoppedAt?.consumer]).toEqual(['FAILED', 'civil-status']);
    const dryRun = await described<{ requested: number }>(
      'POST',
      '/dead-letters/replay',
      operatorKey,
      { eventIds: [poison.eventId], dryRun: true },
    );
    expect(dryRun.requested).toBe(1);
    await shot(page, 'dead-letters');
    expect(await accessibilityProblems(page)).toEqual([]);
    // The cause is mended (the birth it refers to is entered), then the operator replays it.
    await query(
      stack.databaseUrl('civil-status'),
      `INSERT INTO births (id, registered_on, registration_province_code, child_full_name, child_sex,
                           child_date_of_birth, correlation_id, event_id, natural_key)
       VALUES ($1::uuid, '2026-10-05', '01', 'Nguyễn Minh An', 'MALE', '2026-10-01', $1::text, $1::uuid, md5($1::text) || md5($1::text))`,
      [missingBirth],
    );
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: /Phát lại các bản ghi đã chọn/ }).click();
    expect(await page.getByTestId('dry-run').textContent()).toBe('Sẽ phát lại 1 bản ghi.');
    await page.getByRole('button', { name: 'Xác nhận phát lại' }).click();
    const result = page.getByTestId('replay-result').filter({ hasText: poison.eventId });
    await result.filter({ hasText: 'Thành công' }).waitFor({ timeout: 60_000 });
    await shot(page, 'dead-letters-replayed');
  });

  it('shows the overview in English, with p95 per hour and a consumer group behind', async () => {
    // Only land reads identity checks, and land is not running here: its group falls behind.
    const check = eventRecord(
      stack,
      'population',
      'population.identity-verified.v1',
      VALID_EXAMPLES['population.identity-verified.v1'],
    );
    await produceRaw(check.topic, [check.message]);
    const page = await signedIn(operatorKey);
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    const lag = page.getByTestId('consumer-lag').getByRole('listitem').filter({ hasText: 'land' });
    await lag.waitFor({ timeout: 30_000 });
    expect(await lag.textContent()).toContain('no consumer running');
    const chart = page.getByTestId('latency-chart');
    expect(await chart.getAttribute('aria-label')).toMatch(/^Latency p95 per hour: [\d,]+ ms$/);
    expect(await chart.locator('circle').count()).toBeGreaterThanOrEqual(1);
    await shot(page, 'overview-en');
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('lets an auditor search by citizen ID, export, verify, and names a tampered entry', async () => {
    const page = await signedIn(auditorKey);
    await page.getByRole('link', { name: 'Kiểm toán' }).click();
    await page.getByLabel('Số định danh cá nhân của công dân').fill(childPersonalId);
    await page.getByRole('button', { name: 'Tìm' }).click();
    await page.getByTestId('audit-entry').first().waitFor();
    const entries = await page.getByTestId('audit-entry').allTextContents();
    expect(entries.some((e) => e.includes('population.citizen-registered.v1'))).toBe(true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Xuất CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv.length - 1).toBe(entries.length);
    expect(csv.join('\n')).not.toContain(childPersonalId);

    // Seals every second: wait for the log to be sealed before verifying.
    const db = stack.databaseUrl('hub');
    await eventually(
      async () => {
        const [r] = await query<{ n: number }>(
          db,
          `SELECT count(*)::int AS n FROM log_entries
            WHERE id > COALESCE((SELECT max(last_entry_id) FROM seals), 0)`,
        );
        return r.n === 0 ? true : undefined;
      },
      { what: 'every entry sealed', timeoutMs: 30_000 },
    );
    await page.getByRole('button', { name: 'Kiểm tra tính toàn vẹn' }).click();
    await page.getByTestId('verify-result').filter({ hasText: 'Toàn vẹn' }).waitFor();
    await shot(page, 'audit');
    expect(await accessibilityProblems(page)).toEqual([]);

    const [row] = await query<{ id: string; status: string }>(
      db,
      'SELECT id::text, status FROM log_entries ORDER BY id OFFSET 2 LIMIT 1',
    );
    await query(db, "UPDATE log_entries SET status = 'FAILED' WHERE id = $1", [row.id]);
    try {
      await page.getByRole('button', { name: 'Kiểm tra tính toàn vẹn' }).click();
      const bad = page.getByTestId('verify-result').filter({ hasText: 'Phát hiện sai lệch' });
      await bad.waitFor();
      expect(await bad.textContent()).toContain(`ALTERED tại mục ${row.id}`);
      const found = await described<{ ok: boolean }>('POST', '/audit/verify', auditorKey, {});
      expect(found.ok).toBe(false);
      await shot(page, 'audit-tampered');
    } finally {
      await query(db, 'UPDATE log_entries SET status = $2 WHERE id = $1', [row.id, row.status]);
    }
  });

  it('does not show an operator the audit page, and the hub refuses it (403)', async () => {
    const page = await signedIn(operatorKey);
    await page.getByRole('link', { name: 'Tổng quan' }).waitFor();
    expect(await page.getByRole('link', { name: 'Kiểm toán' }).count()).toBe(0);
    await page.goto(hub('/console/audit'));
    await page.getByText('Vai trò của bạn không được xem trang này.').waitFor();
    const refused = await http<{ code: string }>(
      'POST',
      hub('/audit/search'),
      {},
      {
        'x-api-key': operatorKey,
      },
    );
    expect([refused.status, refused.body.code]).toEqual([403, 'HUB.FORBIDDEN']);
  });

  it('lets an administrator issue a key, shown once, from the catalogue', async () => {
    const page = await signedIn(TEST_ADMIN_KEY);
    await page.getByRole('link', { name: 'Danh mục' }).click();
    await page.getByRole('cell', { name: 'civil-status' }).first().waitFor();
    await page.getByLabel('Nhãn').fill('Kiểm toán viên Sở Tư pháp');
    await page.getByRole('button', { name: 'Cấp khóa' }).click();
    const key = (await page.getByTestId('issued-key').textContent()) ?? '';
    const me = await http<{ role: string; label: string }>('GET', hub('/access/me'), undefined, {
      'x-api-key': key,
    });
    expect(me.body).toEqual({ role: 'OPERATOR', label: 'Kiểm toán viên Sở Tư pháp' });
    await shot(page, 'catalogue');
    expect(await accessibilityProblems(page)).toEqual([]);
  });

  it('shows every subscription’s purpose and legal basis, and lets an administrator change them', async () => {
    const page = await signedIn(TEST_ADMIN_KEY);
    await page.getByRole('link', { name: 'Danh mục' }).click();
    const row = page
      .getByTestId('subscription')
      .filter({ hasText: 'insurance' })
      .filter({ hasText: 'citizen-registration' });
    expect(await row.textContent()).toContain('Nghị định 146/2018/NĐ-CP');
    await row.getByRole('button', { name: 'Sửa insurance / citizen-registration' }).click();
    const basis = page.getByLabel('Căn cứ pháp lý — insurance / citizen-registration');
    await basis.fill('Luật Bảo hiểm y tế 2024; Nghị định 146/2018/NĐ-CP, Điều 13');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await row.filter({ hasText: 'Luật Bảo hiểm y tế 2024' }).waitFor();
    const [stored] = await query<{ legal_basis: string }>(
      stack.databaseUrl('hub'),
      "SELECT legal_basis FROM subscriptions WHERE consumer = 'insurance' AND service = 'citizen-registration'",
    );
    expect(stored.legal_basis).toBe('Luật Bảo hiểm y tế 2024; Nghị định 146/2018/NĐ-CP, Điều 13');
  });

  it('answers every call the console makes as the hub’s OpenAPI document describes it', async () => {
    const day = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    await described('GET', `/stats?${day}&groupBy=hub&step=hour`, operatorKey);
    await described('GET', '/consumer-lag', operatorKey);
    await described('GET', '/access/me', operatorKey);
    const page = await described<{ eventId: string }[]>(
      'GET',
      '/transactions?limit=50',
      operatorKey,
    );
    expect(page.length).toBeGreaterThan(0);
    await described('GET', `/transactions/${page[0].eventId}`, operatorKey);
    await described('GET', `/transactions?correlationId=${correlationId}`, operatorKey);
    await described('GET', `/cases/${correlationId}`, operatorKey);
    await described('GET', '/cases?status=stuck&limit=20', operatorKey);
    await described('GET', '/dead-letters/summary', operatorKey);
    for (const list of ['systems', 'services', 'subscriptions'])
      await described('GET', `/catalogue/${list}`, operatorKey);

    const found = await described<{ items: unknown[] }>('POST', '/audit/search', auditorKey, {
      correlationId,
    });
    expect(found.items.length).toBeGreaterThan(0);
    await described('GET', `/audit/log?correlationId=${correlationId}`, auditorKey);
    await described('POST', '/audit/verify', auditorKey, {});
    await described('GET', '/audit/queries', auditorKey);

    const issued = await described<{ id: string }>('POST', '/credentials', TEST_ADMIN_KEY, {
      role: 'SYSTEM',
      system: 'land',
      label: 'Khóa của hệ thống đất đai',
    });
    await described('POST', `/credentials/${issued.id}/rotate`, TEST_ADMIN_KEY, {
      retireOldAfterSeconds: 60,
    });
    await described('GET', '/credentials', TEST_ADMIN_KEY);
  });
});
