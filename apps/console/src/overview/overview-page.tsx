import { useEffect, useMemo, useState } from 'react';
import { hub } from '../api/client';
import {
  totalOf,
  type ConsumerLagAnswer,
  type DeadLetterGroup,
  type GroupLag,
  type Stat,
  type StatsAnswer,
  type StuckCase,
} from '../api/types';
import { fill, useI18n } from '../i18n/i18n';
import { Link } from '../shared/router';
import { useLoad } from '../shared/use-load';
import { Problem } from '../shared/widgets';
import { useSession } from '../session/session';
import { BreakdownTable } from './breakdown-table';
import { VolumeChart } from './volume-chart';

const HOUR = 3_600_000;
const WINDOWS = [
  { id: 'hour', ms: HOUR, label: 'lastHour' },
  { id: 'day', ms: 24 * HOUR, label: 'lastDay' },
  { id: 'month', ms: 30 * 24 * HOUR, label: 'last30Days' },
] as const;

const hubWide = (from: string, to: string, step?: string) =>
  hub
    .get<StatsAnswer>('/stats', { query: { from, to, groupBy: 'hub', step } })
    .then((a) => a.groups[0]);

/** The operators' first page: rates over three windows, traffic over a day, what needs attention. */
export function OverviewPage() {
  const { t, f } = useI18n();
  const [auto, setAuto] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(() => setTick((n) => n + 1), 10_000);
    return () => clearInterval(timer);
  }, [auto]);
  // `to` a little ahead of now: an answer counts what has been logged up to the moment it is read.
  const now = useMemo(() => Date.now() + 60_000, [tick]);
  const iso = (ms: number) => new Date(ms).toISOString();
  const rates = useLoad(
    () => Promise.all(WINDOWS.map((w) => hubWide(iso(now - w.ms), iso(now)))),
    [now],
  );
  const chart = useLoad(() => hubWide(iso(now - 24 * HOUR), iso(now), 'hour'), [now]);
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t.overview.title}</h1>
        <label className="check">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
          {t.overview.autoRefresh}
        </label>
        <span className="muted">
          {t.overview.refreshedAt} {f.dateTime(new Date(now - 60_000))}
        </span>
      </div>
      <Problem error={rates.error} />
      <div className="cards">
        {WINDOWS.map((w, i) => (
          <RateCard key={w.id} id={w.id} title={t.overview[w.label]} stat={rates.data?.[i]} />
        ))}
      </div>
      <VolumeChart stat={chart.data} from={now - 24 * HOUR} to={now} />
      <BreakdownTable from={iso(now - 24 * HOUR)} to={iso(now)} tick={tick} />
      <Attention tick={tick} />
    </div>
  );
}

function RateCard({ id, title, stat }: { id: string; title: string; stat?: Stat }) {
  const { t, f } = useI18n();
  const total = stat ? totalOf(stat.counts) : undefined;
  return (
    <section className="card" data-testid={`rates-${id}`} aria-label={title}>
      <h2>{title}</h2>
      <p className="big" data-testid="success-rate">
        {f.percent(stat?.successRate)}
      </p>
      <p className="muted">{t.overview.successRate}</p>
      <dl>
        <dt>{t.overview.overallRate}</dt>
        <dd data-testid="overall-rate">{f.percent(stat?.overallRate)}</dd>
        <dt>{t.overview.transactions}</dt>
        <dd data-testid="total">{f.number(total)}</dd>
        <dt>{t.status.SUCCESS}</dt>
        <dd data-testid="success">{f.number(stat?.counts.SUCCESS)}</dd>
        <dt>{t.overview.p95}</dt>
        <dd>{f.ms(stat?.latencyMs.p95)}</dd>
      </dl>
    </section>
  );
}

/** Stuck cases, consumer groups behind on their topics, dead letters per consumer (operators). */
function Attention({ tick }: { tick: number }) {
  const { t, f } = useI18n();
  const { session } = useSession();
  const operates = session.who.role === 'OPERATOR' || session.who.role === 'ADMIN';
  const stuck = useLoad(
    () => hub.get<StuckCase[]>('/cases', { query: { status: 'stuck', limit: 20 } }),
    [tick],
  );
  const lag = useLoad(
    () =>
      operates
        ? hub.get<ConsumerLagAnswer>('/consumer-lag').then((a) => a.groups)
        : Promise.resolve([]),
    [tick, operates],
  );
  const dead = useLoad(
    () => (operates ? hub.get<DeadLetterGroup[]>('/dead-letters/summary') : Promise.resolve([])),
    [tick, operates],
  );
  const behind = (lag.data ?? []).filter((g) => g.lag !== 0);
  const deadByConsumer = new Map<string, number>();
  for (const g of dead.data ?? [])
    deadByConsumer.set(g.consumer, (deadByConsumer.get(g.consumer) ?? 0) + g.count);
  const nothing = !stuck.data?.length && !behind.length && !deadByConsumer.size;
  return (
    <section className="attention" aria-labelledby="attention-title">
      <h2 id="attention-title">{t.overview.attention}</h2>
      <Problem error={stuck.error ?? lag.error ?? dead.error} />
      {nothing && <p className="muted">{t.overview.nothing}</p>}
      {!!stuck.data?.length && (
        <>
          <h3>{t.overview.stuckCases}</h3>
          <ul>
            {stuck.data.map((c) => (
              <li key={c.correlationId}>
                <Link to={`/cases/${encodeURIComponent(c.correlationId)}`}>{c.correlationId}</Link>{' '}
                — {f.number(c.waitingDeliveries)} · {f.dateTime(c.lastActivityAt)}
              </li>
            ))}
          </ul>
        </>
      )}
      {!!behind.length && (
        <>
          <h3>{t.overview.consumerLag}</h3>
          <ul data-testid="consumer-lag">
            {behind.map((g) => (
              <LagItem key={g.groupId} group={g} />
            ))}
          </ul>
        </>
      )}
      {!!deadByConsumer.size && (
        <>
          <h3>{t.overview.deadLettersByConsumer}</h3>
          <ul>
            {[...deadByConsumer].map(([consumer, n]) => (
              <li key={consumer}>
                <Link to="/dead-letters">{consumer}</Link>: {f.number(n)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** One consumer group behind: how many records, on which topics, and whether it runs at all. */
function LagItem({ group }: { group: GroupLag }) {
  const { t, f } = useI18n();
  if (group.lag === null)
    return (
      <li>
        <strong>{group.system}</strong>: {fill(t.overview.lagUnknown, { error: group.error ?? '' })}
      </li>
    );
  return (
    <li>
      <strong>{group.system}</strong>: {fill(t.overview.lagRecords, { n: f.number(group.lag) })}
      {group.state === 'Empty' || group.state === 'Dead' ? ` (${t.overview.noConsumer})` : ''}
      <span className="muted">
        {' '}
        — {group.topics.map((x) => `${x.topic} ${f.number(x.lag)}`).join(', ')}
      </span>
    </li>
  );
}
