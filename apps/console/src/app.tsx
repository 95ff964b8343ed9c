import type { ReactNode } from 'react';
import { AuditPage } from './audit/audit-page';
import { CataloguePage } from './catalogue/catalogue-page';
import { DeadLettersPage } from './dead-letters/dead-letters-page';
import { useI18n, type Language } from './i18n/i18n';
import { OverviewPage } from './overview/overview-page';
import { Link, usePath } from './shared/router';
import { useSession } from './session/session';
import { CasePage } from './transactions/case-page';
import { TransactionsPage } from './transactions/transactions-page';

type Role = 'OPERATOR' | 'AUDITOR' | 'ADMIN' | 'SYSTEM';

/** The pages, and the roles the hub lets see them (the hub refuses the others anyway: 403). */
const PAGES: {
  path: string;
  nav: 'overview' | 'transactions' | 'deadLetters' | 'audit' | 'catalogue';
  roles: Role[];
}[] = [
  { path: '/', nav: 'overview', roles: ['OPERATOR', 'AUDITOR', 'ADMIN'] },
  { path: '/transactions', nav: 'transactions', roles: ['OPERATOR', 'AUDITOR', 'ADMIN'] },
  { path: '/dead-letters', nav: 'deadLetters', roles: ['OPERATOR', 'ADMIN'] },
  { path: '/audit', nav: 'audit', roles: ['AUDITOR', 'ADMIN'] },
  { path: '/catalogue', nav: 'catalogue', roles: ['OPERATOR', 'AUDITOR', 'ADMIN'] },
];

function page(path: string): ReactNode {
  if (path.startsWith('/cases/'))
    return <CasePage correlationId={decodeURIComponent(path.slice(7))} />;
  switch (path) {
    case '/transactions':
      return <TransactionsPage />;
    case '/dead-letters':
      return <DeadLettersPage />;
    case '/audit':
      return <AuditPage />;
    case '/catalogue':
      return <CataloguePage />;
    default:
      return <OverviewPage />;
  }
}

export function App() {
  const { t, language, setLanguage } = useI18n();
  const { session, signOut } = useSession();
  const path = usePath();
  const role: Role = session.who.role;
  const visible = PAGES.filter((p) => p.roles.includes(role));
  const current =
    PAGES.find((p) => p.path === path) ?? (path.startsWith('/cases/') ? PAGES[1] : PAGES[0]);
  return (
    <>
      <header className="top">
        <span className="brand">{t.appName}</span>
        <nav aria-label={t.appName}>
          {visible.map((p) => (
            <Link key={p.path} to={p.path} className={p === current ? 'active' : undefined}>
              {t.nav[p.nav]}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span>
            {t.signIn.signedInAs} <strong>{t.role[role]}</strong> ({session.who.label})
          </span>
          <label className="language">
            <span>{t.language}</span>
            <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
              <option value="vi">Tiếng Việt</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="button" onClick={signOut}>
            {t.signIn.signOut}
          </button>
        </div>
      </header>
      <main>
        {current.roles.includes(role) ? (
          page(path)
        ) : (
          <p role="alert" className="problem">
            {t.common.forbidden}
          </p>
        )}
      </main>
    </>
  );
}
