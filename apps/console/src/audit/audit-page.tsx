import { useState, type FormEvent } from 'react';
import { hub, send } from '../api/client';
import type { AuditLogPage, AuditQuery, VerifyResult } from '../api/types';
import { fill, useI18n } from '../i18n/i18n';
import { useLoad } from '../shared/use-load';
import { Field, Problem, StatusBadge, TableBox, toIso } from '../shared/widgets';

const EMPTY = { citizenId: '', correlationId: '', from: '', to: '', service: '', status: '' };
const STATUSES = ['PUBLISHED', 'SUCCESS', 'FAILED', 'REJECTED'];

/** The filter as the hub takes it, in a body: a citizen's ID number never goes in a URL. */
function body(form: typeof EMPTY) {
  const b: Record<string, string | undefined> = {
    ...form,
    from: toIso(form.from),
    to: toIso(form.to),
  };
  for (const k of Object.keys(b)) if (!b[k]) delete b[k];
  return b;
}

/** Auditors: search the exchange log, export it, verify its seals, see the trail of audit queries. */
export function AuditPage() {
  const { t, f } = useI18n();
  const [form, setForm] = useState(EMPTY);
  const [result, setResult] = useState<AuditLogPage>();
  const [verified, setVerified] = useState<VerifyResult>();
  const [problem, setProblem] = useState<Error>();
  const [done, setDone] = useState(0);
  const trail = useLoad(() => hub.get<AuditQuery[]>('/audit/queries'), [done]);
  const attempt = async (action: () => Promise<void>) => {
    setProblem(undefined);
    try {
      await action();
    } catch (e) {
      setProblem(e as Error);
    }
    setDone((n) => n + 1);
  };
  const search = (after?: string) =>
    attempt(async () => {
      const page = await hub.post<AuditLogPage>('/audit/search', {
        body: { ...body(form), after, limit: 100 },
      });
      setResult(
        after && result ? { items: [...result.items, ...page.items], next: page.next } : page,
      );
    });
  const exportAs = (format: 'csv' | 'ndjson') =>
    attempt(async () => {
      const answer = await send('post', '/audit/export', { body: { ...body(form), format } });
      const url = URL.createObjectURL(await answer.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `exchange-log.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  const verify = () =>
    attempt(async () => {
      const { from, to } = body(form);
      setVerified(await hub.post<VerifyResult>('/audit/verify', { body: { from, to } }));
    });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void search();
  };
  const input = (name: keyof typeof EMPTY, label: string, type = 'text') => (
    <Field label={label}>
      <input
        type={type}
        name={name}
        value={form[name]}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
    </Field>
  );
  return (
    <div className="page">
      <h1>{t.audit.title}</h1>
      <form className="filters" onSubmit={onSubmit}>
        {input('citizenId', t.audit.citizenId)}
        {input('correlationId', t.common.correlationId)}
        {input('from', t.common.from, 'datetime-local')}
        {input('to', t.common.to, 'datetime-local')}
        {input('service', t.common.service)}
        <Field label={t.common.status}>
          <select
            name="status"
            value={form.status}
            onChange={(e) => setForm({ ...form, status: e.target.value })}
          >
            <option value="">{t.common.any}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.status[s]}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">{t.common.search}</button>
        <button type="button" onClick={() => void exportAs('csv')}>
          {t.audit.exportCsv}
        </button>
        <button type="button" onClick={() => void exportAs('ndjson')}>
          {t.audit.exportNdjson}
        </button>
        <button type="button" onClick={() => void verify()}>
          {t.audit.verify}
        </button>
      </form>
      <Problem error={problem} />
      {verified && (
        <p role="status" data-testid="verify-result" className={verified.ok ? 'ok' : 'problem'}>
          {verified.ok
            ? fill(t.audit.verifyOk, {
                entries: f.number(verified.checkedEntries),
                seals: f.number(verified.checkedSeals),
              })
            : fill(t.audit.verifyBad, {
                kind: verified.firstProblem?.kind ?? '?',
                entry: verified.firstProblem?.entryId ?? '—',
                seal: verified.firstProblem?.sealSequence ?? '—',
              })}
        </p>
      )}
      {result && (
        <>
          <TableBox label={t.audit.title}>
            <thead>
              <tr>
                <th>{t.common.at}</th>
                <th>{t.audit.kind}</th>
                <th>{t.common.eventType}</th>
                <th>{t.common.provider}</th>
                <th>{t.common.consumer}</th>
                <th>{t.common.status}</th>
                <th>{t.common.errorCode}</th>
                <th>{t.common.correlationId}</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((e) => (
                <tr key={e.id} data-testid="audit-entry">
                  <td>{f.dateTime(e.occurred_at)}</td>
                  <td>{e.kind}</td>
                  <td>{e.event_type}</td>
                  <td>{e.provider}</td>
                  <td>{e.consumer}</td>
                  <td>
                    <StatusBadge status={e.status} />
                  </td>
                  <td>{e.error_code}</td>
                  <td>{e.correlation_id}</td>
                </tr>
              ))}
            </tbody>
          </TableBox>
          {result.items.length === 0 && <p className="muted">{t.common.none}</p>}
          {result.next && (
            <button type="button" onClick={() => void search(result.next!)}>
              {t.common.next}
            </button>
          )}
        </>
      )}
      <h2>{t.audit.trail}</h2>
      <TableBox label={t.audit.trail}>
        <thead>
          <tr>
            <th>{t.common.at}</th>
            <th>{t.audit.action}</th>
            <th>{t.audit.role}</th>
            <th>{t.audit.rows}</th>
          </tr>
        </thead>
        <tbody>
          {trail.data?.map((q) => (
            <tr key={q.id}>
              <td>{f.dateTime(q.at)}</td>
              <td>{q.action}</td>
              <td>{q.role}</td>
              <td className="num">{f.number(q.rowCount)}</td>
            </tr>
          ))}
        </tbody>
      </TableBox>
    </div>
  );
}
