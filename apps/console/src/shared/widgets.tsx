import type { ReactNode } from 'react';
import { HubError } from '../api/client';
import { useI18n } from '../i18n/i18n';

export function StatusBadge({ status }: { status: string | null }) {
  const { t } = useI18n();
  if (!status) return <span>—</span>;
  return (
    <span className={`badge badge-${status.toLowerCase()}`}>{t.status[status] ?? status}</span>
  );
}

export function Problem({ error }: { error?: Error }) {
  const { t } = useI18n();
  if (!error) return null;
  const text =
    error instanceof HubError && error.status === 403
      ? t.common.forbidden
      : `${t.common.error}: ${error instanceof HubError ? `${error.code} — ` : ''}${error.message}`;
  return (
    <p role="alert" className="problem">
      {text}
    </p>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A table that scrolls sideways on a narrow screen instead of breaking the page. */
export function TableBox({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div className="table-box" role="region" aria-label={label} tabIndex={0}>
      <table>{children}</table>
    </div>
  );
}

/** `<input type="datetime-local">` value ↔ ISO-8601 (the hub's filters). */
export const toIso = (local: string): string | undefined =>
  local ? new Date(local).toISOString() : undefined;
