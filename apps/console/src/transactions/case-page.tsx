import { hub, HubError } from '../api/client';
import type { Case } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { useLoad } from '../shared/use-load';
import { Problem, StatusBadge } from '../shared/widgets';

/** One case (a whole chain) as a timeline: each step, each delivery, where it stopped. */
export function CasePage({ correlationId }: { correlationId: string }) {
  const { t, f } = useI18n();
  const { data, error } = useLoad(
    () => hub.get<Case>('/cases/{correlationId}', { params: { correlationId } }),
    [correlationId],
  );
  const notFound = error instanceof HubError && error.status === 404;
  return (
    <div className="page">
      <h1>
        {t.case.title} <code>{correlationId}</code>
      </h1>
      {notFound ? <p role="alert">{t.case.notFound}</p> : <Problem error={error} />}
      {data && (
        <>
          <dl className="facts">
            <dt>{t.common.status}</dt>
            <dd data-testid="case-status">
              <StatusBadge status={data.status} />
            </dd>
            <dt>{t.case.startedAt}</dt>
            <dd>{f.dateTime(data.startedAt)}</dd>
            <dt>{t.case.duration}</dt>
            <dd>{f.ms(data.durationMs)}</dd>
            {data.stoppedAt && (
              <>
                <dt>{t.case.stoppedAt}</dt>
                <dd className="problem">
                  {data.stoppedAt.consumer} — {data.stoppedAt.errorCode} {data.stoppedAt.reason}
                </dd>
              </>
            )}
          </dl>
          <ol className="timeline">
            {data.steps.map((s) => (
              <li key={s.eventId} className="step">
                <div className="step-head">
                  <strong>{s.eventType}</strong> <span className="muted">{s.provider}</span>{' '}
                  <time>{f.dateTime(s.at)}</time>
                </div>
                {s.rejected && (
                  <p className="problem">
                    {t.case.rejected}: {s.rejected.errorCode} {s.rejected.reason}
                  </p>
                )}
                <ul className="deliveries" aria-label={t.case.deliveries}>
                  {s.deliveries.map((d) => (
                    <li key={d.consumer} data-testid="delivery">
                      <span>→ {d.consumer}</span> <StatusBadge status={d.status} />{' '}
                      <span className="muted">
                        {f.ms(d.latencyMs)}
                        {d.late ? ` (${t.case.late})` : ''}
                      </span>
                      {d.errorCode && <span className="problem"> {d.errorCode}</span>}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
