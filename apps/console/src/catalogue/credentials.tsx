import { useState, type FormEvent } from 'react';
import { hub } from '../api/client';
import type { Credential, IssuedCredential } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { useLoad } from '../shared/use-load';
import { Field, Problem, TableBox } from '../shared/widgets';

const ROLES = ['OPERATOR', 'AUDITOR', 'ADMIN', 'SYSTEM'] as const;

/** Administrators: issue a key (shown once, here) and revoke keys. */
export function Credentials() {
  const { t, f } = useI18n();
  const [changed, setChanged] = useState(0);
  const [form, setForm] = useState({ role: 'OPERATOR', label: '', system: '' });
  const [issued, setIssued] = useState<string>();
  const [problem, setProblem] = useState<Error>();
  const list = useLoad(() => hub.get<Credential[]>('/credentials'), [changed]);
  const act = async (action: () => Promise<void>) => {
    setProblem(undefined);
    try {
      await action();
      setChanged((n) => n + 1);
    } catch (e) {
      setProblem(e as Error);
    }
  };
  const issue = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      const answer = await hub.post<IssuedCredential>('/credentials', {
        body: {
          role: form.role,
          label: form.label || undefined,
          system: form.role === 'SYSTEM' ? form.system : undefined,
        },
      });
      setIssued(answer.apiKey);
    });
  };
  return (
    <section>
      <h2>{t.catalogue.credentials}</h2>
      <form className="filters" onSubmit={issue}>
        <Field label={t.catalogue.role}>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.role[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.catalogue.label}>
          <input value={form.label} onChange={(e) => setForm({ ...form, label: e.target.value })} />
        </Field>
        {form.role === 'SYSTEM' && (
          <Field label={t.catalogue.system}>
            <input
              required
              value={form.system}
              onChange={(e) => setForm({ ...form, system: e.target.value })}
            />
          </Field>
        )}
        <button type="submit">{t.catalogue.issue}</button>
      </form>
      {issued && (
        <p role="status" className="issued">
          {t.catalogue.issued} <code data-testid="issued-key">{issued}</code>
        </p>
      )}
      <Problem error={list.error ?? problem} />
      <TableBox label={t.catalogue.credentials}>
        <thead>
          <tr>
            <th>{t.catalogue.label}</th>
            <th>{t.catalogue.role}</th>
            <th>{t.catalogue.system}</th>
            <th>{t.catalogue.createdAt}</th>
            <th>{t.catalogue.revokedAt}</th>
            <th>
              <span className="visually-hidden">{t.common.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.map((c) => (
            <tr key={c.id}>
              <td>{c.label}</td>
              <td>{t.role[c.role] ?? c.role}</td>
              <td>{c.systemCode ?? '—'}</td>
              <td>{f.dateTime(c.createdAt)}</td>
              <td>{f.dateTime(c.revokedAt)}</td>
              <td>
                {!c.revokedAt && (
                  <button
                    type="button"
                    onClick={() =>
                      void act(() => hub.delete('/credentials/{id}', { params: { id: c.id } }))
                    }
                  >
                    {t.catalogue.revoke} {c.label}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </TableBox>
    </section>
  );
}
