import { useState, type FormEvent } from 'react';
import { hub } from '../api/client';
import type { Subscription } from '../api/types';
import { useI18n } from '../i18n/i18n';

/**
 * One subscription: who receives what, for what purpose, on what legal basis. An
 * administrator may edit the purpose and the legal basis in place.
 */
export function SubscriptionRow({
  subscription: s,
  admin,
  onSaved,
  onProblem,
}: {
  subscription: Subscription;
  admin: boolean;
  onSaved: () => void;
  onProblem: (e: Error | undefined) => void;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [purpose, setPurpose] = useState(s.purpose);
  const [legalBasis, setLegalBasis] = useState(s.legalBasis ?? '');
  const which = `${s.consumer} / ${s.service}`;
  const formId = `subscription-${s.consumer}-${s.service}`;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    onProblem(undefined);
    try {
      await hub.patch('/catalogue/subscriptions/{consumer}/{service}', {
        params: { consumer: s.consumer, service: s.service },
        body: { purpose: purpose.trim(), legalBasis: legalBasis.trim() || undefined },
      });
      setEditing(false);
      onSaved();
    } catch (err) {
      onProblem(err as Error);
    }
  };
  const status = s.status === 'ACTIVE' ? t.catalogue.ACTIVE : t.catalogue.DISABLED;
  if (editing)
    return (
      <tr>
        <td>{s.consumer}</td>
        <td>{s.service}</td>
        <td>
          <input
            form={formId}
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            aria-label={`${t.catalogue.purpose} — ${which}`}
            required
          />
        </td>
        <td>
          <input
            form={formId}
            value={legalBasis}
            onChange={(e) => setLegalBasis(e.target.value)}
            aria-label={`${t.catalogue.legalBasis} — ${which}`}
          />
        </td>
        <td>{status}</td>
        <td>
          <form id={formId} onSubmit={(e) => void save(e)}>
            <button type="submit">{t.catalogue.save}</button>
            <button type="button" onClick={() => setEditing(false)}>
              {t.deadLetters.cancel}
            </button>
          </form>
        </td>
      </tr>
    );
  return (
    <tr data-testid="subscription">
      <td>{s.consumer}</td>
      <td>{s.service}</td>
      <td>{s.purpose}</td>
      <td>{s.legalBasis ?? '—'}</td>
      <td>{status}</td>
      {admin && (
        <td>
          <button
            type="button"
            onClick={() => setEditing(true)}
            aria-label={`${t.catalogue.edit} ${which}`}
          >
            {t.catalogue.edit}
          </button>
        </td>
      )}
    </tr>
  );
}
