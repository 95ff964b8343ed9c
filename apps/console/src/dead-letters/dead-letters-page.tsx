import { useState } from 'react';
import { hub } from '../api/client';
import type { DeadLetterGroup, ReplayAnswer, Transaction } from '../api/types';
import { fill, useI18n } from '../i18n/i18n';
import { useLoad } from '../shared/use-load';
import { Problem, StatusBadge, TableBox } from '../shared/widgets';
import { useFollowReplay } from './follow-replay';

type Filter = { consumer?: string; errorCode?: string; eventIds?: string[] };
const keyOf = (x: { eventId: string; consumer: string }) => `${x.eventId}|${x.consumer}`;

/** Dead letters by consumer and error code; replay a selection or a group after a dry run. */
export function DeadLettersPage() {
  const { t, f } = useI18n();
  const [group, setGroup] = useState<{ consumer: string; errorCode?: string }>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [planned, setPlanned] = useState<{
    filter: Filter;
    count: number;
    targets: Transaction[];
  }>();
  const [replayed, setReplayed] = useState<{ targets: Transaction[]; at: number }>({
    targets: [],
    at: 0,
  });
  const [problem, setProblem] = useState<Error>();
  const summary = useLoad(() => hub.get<DeadLetterGroup[]>('/dead-letters/summary'), [replayed.at]);
  const records = useLoad(
    () =>
      hub.get<Transaction[]>('/dead-letters', {
        query: { consumer: group?.consumer, errorCode: group?.errorCode, limit: 200 },
      }),
    [group, replayed.at],
  );
  const followed = useFollowReplay(replayed.targets, replayed.at);

  const dryRun = async (filter: Filter, targets: Transaction[]) => {
    setProblem(undefined);
    try {
      const answer = await hub.post<ReplayAnswer>('/dead-letters/replay', {
        body: { ...filter, dryRun: true },
      });
      setPlanned({ filter, count: answer.requested, targets });
    } catch (e) {
      setProblem(e as Error);
    }
  };
  const confirm = async () => {
    if (!planned) return;
    try {
      const at = Date.now();
      await hub.post('/dead-letters/replay', { body: planned.filter });
      setReplayed({ targets: planned.targets, at });
      setPlanned(undefined);
      setSelected(new Set());
    } catch (e) {
      setProblem(e as Error);
    }
  };
  const rows = records.data ?? [];
  const chosen = rows.filter((r) => selected.has(keyOf(r)));
  const toggle = (k: string) => {
    const next = new Set(selected);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    setSelected(next);
  };
  return (
    <div className="page">
      <h1>{t.deadLetters.title}</h1>
      <Problem error={summary.error ?? records.error ?? problem} />
      <h2>{t.deadLetters.groups}</h2>
      <TableBox label={t.deadLetters.groups}>
        <thead>
          <tr>
            <th>{t.common.consumer}</th>
            <th>{t.common.service}</th>
            <th>{t.common.status}</th>
            <th>{t.common.errorCode}</th>
            <th>{t.common.count}</th>
            <th>
              <span className="visually-hidden">{t.common.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.data?.map((g) => (
            <tr key={`${g.consumer}|${g.service}|${g.status}|${g.errorCode}`}>
              <td>{g.consumer}</td>
              <td>{g.service}</td>
              <td>
                <StatusBadge status={g.status} />
              </td>
              <td>{g.errorCode}</td>
              <td className="num">{f.number(g.count)}</td>
              <td className="actions">
                <button
                  type="button"
                  onClick={() =>
                    setGroup({ consumer: g.consumer, errorCode: g.errorCode ?? undefined })
                  }
                >
                  {t.deadLetters.showGroup}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void dryRun(
                      { consumer: g.consumer, errorCode: g.errorCode ?? undefined },
                      rows.filter((r) => r.consumer === g.consumer && r.errorCode === g.errorCode),
                    )
                  }
                >
                  {t.deadLetters.replayGroup}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </TableBox>
      {summary.data?.length === 0 && <p className="muted">{t.common.none}</p>}

      <h2>{t.deadLetters.records}</h2>
      <TableBox label={t.deadLetters.records}>
        <thead>
          <tr>
            <th>{t.deadLetters.select}</th>
            <th>{t.common.eventId}</th>
            <th>{t.common.eventType}</th>
            <th>{t.common.provider}</th>
            <th>{t.common.consumer}</th>
            <th>{t.common.status}</th>
            <th>{t.common.errorCode}</th>
            <th>{t.common.reason}</th>
            <th>{t.common.attempts}</th>
            <th>{t.common.at}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={keyOf(r)} data-testid="dead-letter">
              <td>
                <input
                  type="checkbox"
                  aria-label={`${t.deadLetters.select} ${r.eventId}`}
                  checked={selected.has(keyOf(r))}
                  onChange={() => toggle(keyOf(r))}
                />
              </td>
              <td>
                <code>{r.eventId}</code>
              </td>
              <td>{r.eventType}</td>
              <td>{r.provider}</td>
              <td>{r.consumer}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>{r.errorCode}</td>
              <td>{r.reason}</td>
              <td className="num">{f.number(r.attempts)}</td>
              <td>{f.dateTime(r.completedAt)}</td>
            </tr>
          ))}
        </tbody>
      </TableBox>
      {chosen.length > 0 && (
        <button
          type="button"
          onClick={() => void dryRun({ eventIds: chosen.map((r) => r.eventId) }, chosen)}
        >
          {t.deadLetters.replaySelected} ({f.number(chosen.length)})
        </button>
      )}
      {planned && (
        <div className="confirm" role="dialog" aria-label={t.deadLetters.confirm}>
          <p data-testid="dry-run">{fill(t.deadLetters.dryRun, { n: f.number(planned.count) })}</p>
          <button type="button" onClick={() => void confirm()}>
            {t.deadLetters.confirm}
          </button>
          <button type="button" onClick={() => setPlanned(undefined)}>
            {t.deadLetters.cancel}
          </button>
        </div>
      )}
      {followed.length > 0 && (
        <section aria-label={t.deadLetters.result}>
          <h2>{t.deadLetters.result}</h2>
          {followed.some((x) => !x.done) && <p className="muted">{t.deadLetters.following}</p>}
          <ul>
            {followed.map((x) => (
              <li key={keyOf(x)} data-testid="replay-result">
                <code>{x.eventId}</code> → {x.consumer}: <StatusBadge status={x.status} />{' '}
                {x.errorCode}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
