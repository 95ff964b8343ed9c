import { useState } from 'react';
import { hub } from '../api/client';
import type { CatalogueService, MemberSystem, Subscription } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { useLoad } from '../shared/use-load';
import { Problem, TableBox } from '../shared/widgets';
import { Credentials } from './credentials';
import { SubscriptionRow } from './subscription-row';
import { useSession } from '../session/session';

/** The catalogue for everyone; administrators also enable and disable systems and manage keys. */
export function CataloguePage() {
  const { t, language } = useI18n();
  const { session } = useSession();
  const admin = session.who.role === 'ADMIN';
  const [changed, setChanged] = useState(0);
  const [problem, setProblem] = useState<Error>();
  const systems = useLoad(() => hub.get<MemberSystem[]>('/catalogue/systems'), [changed]);
  const services = useLoad(() => hub.get<CatalogueService[]>('/catalogue/services'), []);
  const [subscriptionsChanged, setSubscriptionsChanged] = useState(0);
  const subscriptions = useLoad(
    () => hub.get<Subscription[]>('/catalogue/subscriptions'),
    [subscriptionsChanged],
  );
  const setStatus = async (code: string, status: string) => {
    setProblem(undefined);
    try {
      await hub.patch('/catalogue/systems/{code}', { params: { code }, body: { status } });
      setChanged((n) => n + 1);
    } catch (e) {
      setProblem(e as Error);
    }
  };
  return (
    <div className="page">
      <h1>{t.catalogue.title}</h1>
      {!admin && <p className="muted">{t.catalogue.readOnly}</p>}
      <Problem error={systems.error ?? services.error ?? subscriptions.error ?? problem} />
      <h2>{t.catalogue.systems}</h2>
      <TableBox label={t.catalogue.systems}>
        <thead>
          <tr>
            <th>{t.catalogue.code}</th>
            <th>{t.catalogue.name}</th>
            <th>{t.common.sector}</th>
            <th>{t.catalogue.province}</th>
            <th>{t.common.status}</th>
            {admin && (
              <th>
                <span className="visually-hidden">{t.common.actions}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {systems.data?.map((s) => (
            <tr key={s.code}>
              <td>{s.code}</td>
              <td>{s.name}</td>
              <td>{s.sector}</td>
              <td>{s.province}</td>
              <td>{s.status === 'ACTIVE' ? t.catalogue.ACTIVE : t.catalogue.DISABLED}</td>
              {admin && (
                <td>
                  <button
                    type="button"
                    onClick={() =>
                      void setStatus(s.code, s.status === 'ACTIVE' ? 'DISABLED' : 'ACTIVE')
                    }
                  >
                    {s.status === 'ACTIVE' ? t.catalogue.disable : t.catalogue.enable} {s.code}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </TableBox>
      <h2>{t.catalogue.services}</h2>
      <TableBox label={t.catalogue.services}>
        <thead>
          <tr>
            <th>{t.catalogue.code}</th>
            <th>{t.catalogue.name}</th>
            <th>{t.common.eventType}</th>
            <th>{t.common.provider}</th>
          </tr>
        </thead>
        <tbody>
          {services.data?.map((s) => (
            <tr key={s.code}>
              <td>{s.code}</td>
              <td>{language === 'vi' ? s.nameVi : s.nameEn}</td>
              <td>{s.eventType}</td>
              <td>{s.provider}</td>
            </tr>
          ))}
        </tbody>
      </TableBox>
      <h2>{t.catalogue.subscriptions}</h2>
      <TableBox label={t.catalogue.subscriptions}>
        <thead>
          <tr>
            <th>{t.common.consumer}</th>
            <th>{t.common.service}</th>
            <th>{t.catalogue.purpose}</th>
            <th>{t.catalogue.legalBasis}</th>
            <th>{t.common.status}</th>
            {admin && (
              <th>
                <span className="visually-hidden">{t.common.actions}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {subscriptions.data?.map((s) => (
            <SubscriptionRow
              key={`${s.consumer}|${s.service}|${s.purpose}|${s.legalBasis}`}
              subscription={s}
              admin={admin}
              onSaved={() => setSubscriptionsChanged((n) => n + 1)}
              onProblem={setProblem}
            />
          ))}
        </tbody>
      </TableBox>
      {admin && <Credentials />}
    </div>
  );
}
