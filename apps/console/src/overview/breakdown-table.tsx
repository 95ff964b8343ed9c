import { useState } from 'react';
import { hub } from '../api/client';
import { totalOf, type Stat, type StatsAnswer } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { Field, Problem, TableBox } from '../shared/widgets';
import { useLoad } from '../shared/use-load';

const GROUPINGS = ['sector', 'service', 'provider', 'consumer'] as const;
type SortKey = 'group' | 'total' | 'successRate' | 'overallRate' | 'p95';

const total = (s: Stat) => totalOf(s.counts);
const value = (s: Stat, k: SortKey): number | string =>
  k === 'group'
    ? s.group
    : k === 'total'
      ? total(s)
      : k === 'p95'
        ? (s.latencyMs.p95 ?? -1)
        : (s[k] ?? -1);

/** Counts, rates and latency per sector, service, provider or consumer over 24 hours; sortable. */
export function BreakdownTable({ from, to, tick }: { from: string; to: string; tick: number }) {
  const { t, f } = useI18n();
  const [groupBy, setGroupBy] = useState<(typeof GROUPINGS)[number]>('service');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'total', desc: true });
  const { data, error } = useLoad(
    () => hub.get<StatsAnswer>('/stats', { query: { from, to, groupBy } }),
    [from, to, groupBy, tick],
  );
  const rows = [...(data?.groups ?? [])].sort((a, b) => {
    const [x, y] = [value(a, sort.key), value(b, sort.key)];
    return (x < y ? -1 : x > y ? 1 : 0) * (sort.desc ? -1 : 1);
  });
  const header = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        className="sort"
        onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : true })}
      >
        {label}
        {sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  const names = {
    sector: t.common.sector,
    service: t.common.service,
    provider: t.common.provider,
    consumer: t.common.consumer,
  };
  return (
    <section>
      <Field label={t.overview.breakdown}>
        <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}>
          {GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {names[g]}
            </option>
          ))}
        </select>
      </Field>
      <Problem error={error} />
      <TableBox label={t.overview.breakdown}>
        <thead>
          <tr>
            {header('group', names[groupBy])}
            {header('total', t.overview.transactions)}
            <th>{t.status.SUCCESS}</th>
            <th>{t.status.FAILED}</th>
            <th>{t.status.TIMED_OUT}</th>
            <th>{t.status.REJECTED}</th>
            {header('successRate', t.overview.successRate)}
            {header('overallRate', t.overview.overallRate)}
            {header('p95', t.overview.p95)}
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.group}>
              <td>{s.group}</td>
              <td className="num">{f.number(total(s))}</td>
              <td className="num">{f.number(s.counts.SUCCESS)}</td>
              <td className="num">{f.number(s.counts.FAILED)}</td>
              <td className="num">{f.number(s.counts.TIMED_OUT)}</td>
              <td className="num">{f.number(s.counts.REJECTED)}</td>
              <td className="num">{f.percent(s.successRate)}</td>
              <td className="num">{f.percent(s.overallRate)}</td>
              <td className="num">{f.ms(s.latencyMs.p95)}</td>
            </tr>
          ))}
        </tbody>
      </TableBox>
    </section>
  );
}
