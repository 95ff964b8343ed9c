import { useState, type FormEvent } from 'react';
import { hub } from '../api/client';
import type { Transaction } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { Link } from '../shared/router';
import { useLoad } from '../shared/use-load';
import { Field, Problem, StatusBadge, TableBox, toIso } from '../shared/widgets';

const PAGE = 50;
const STATUSES = ['SUCCESS', 'FAILED', 'TIMED_OUT', 'REJECTED', 'PENDING'];
const EMPTY = {
  from: '',
  to: '',
  service: '',
  provider: '',
  consumer: '',
  status: '',
  correlationId: '',
};

/** Transactions newest first, filtered, a page at a time (keyset: the last row of a page). */
export function TransactionsPage() {
  const { t, f } = useI18n();
  const [form, setForm] = useState(EMPTY);
  const [filter, setFilter] = useState(EMPTY);
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors[cursors.length - 1];
  const { data, error, loading } = useLoad(
    () =>
      hub.get<Transaction[]>('/transactions', {
        query: { ...filter, from: toIso(filter.from), to: toIso(filter.to), before, limit: PAGE },
      }),
    [filter, before],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCursors([]);
    setFilter(form);
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
  const last = data?.[data.length - 1];
  return (
    <div className="page">
      <h1>{t.transactions.title}</h1>
      <form className="filters" onSubmit={submit}>
        {input('from', t.common.from, 'datetime-local')}
        {input('to', t.common.to, 'datetime-local')}
        {input('service', t.common.service)}
        {input('provider', t.common.provider)}
        {input('consumer', t.common.consumer)}
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
        {input('correlationId', t.common.correlationId)}
        <button type="submit">{t.common.search}</button>
      </form>
      <Problem error={error} />
      {loading && <p className="muted">{t.common.loading}</p>}
      <TableBox label={t.transactions.title}>
        <thead>
          <tr>
            <th>{t.transactions.publishedAt}</th>
            <th>{t.common.service}</th>
            <th>{t.common.provider}</th>
            <th>{t.common.consumer}</th>
            <th>{t.common.status}</th>
            <th>{t.common.latency}</th>
            <th>{t.common.correlationId}</th>
          </tr>
        </thead>
        <tbody>
          {data?.map((x) => (
            <tr key={`${x.eventId}|${x.consumer}`}>
              <td>{f.dateTime(x.publishedAt)}</td>
              <td>{x.serviceCode}</td>
              <td>{x.provider}</td>
              <td>{x.consumer}</td>
              <td>
                <StatusBadge status={x.status} />
                {x.errorCode && <div className="muted">{x.errorCode}</div>}
              </td>
              <td className="num">{f.ms(x.latencyMs)}</td>
              <td>
                {x.correlationId ? (
                  <Link to={`/cases/${encodeURIComponent(x.correlationId)}`}>
                    {x.correlationId}
                  </Link>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </TableBox>
      {data?.length === 0 && <p className="muted">{t.common.none}</p>}
      <div className="pager">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors([])}>
            {t.common.first}
          </button>
        )}
        {data?.length === PAGE && last?.publishedAt && (
          <button
            type="button"
            onClick={() =>
              setCursors([...cursors, `${last.publishedAt}|${last.eventId}|${last.consumer}`])
            }
          >
            {t.common.next}
          </button>
        )}
      </div>
    </div>
  );
}
