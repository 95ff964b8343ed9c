import { createContext, useContext, useState, type FormEvent, type ReactNode } from 'react';
import { HubError, hub, setHubKey, type WhoAmI } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** The key lives in this tab's sessionStorage only: gone when the tab closes, never in a URL. */
const STORAGE_KEY = 'lgsp.console.session';

interface Session {
  key: string;
  who: WhoAmI;
}

function stored(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    setHubKey(s?.key ?? null);
    return s;
  } catch {
    return null;
  }
}

const Context = createContext<{ session: Session; signOut: () => void } | null>(null);

export function useSession() {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionGate');
  return value;
}

export function SessionGate({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(stored);
  const signOut = () => {
    sessionStorage.removeItem(STORAGE_KEY);
    setHubKey(null);
    setSession(null);
  };
  if (!session)
    return (
      <SignIn
        onSignedIn={(s) => {
          sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
          setHubKey(s.key);
          setSession(s);
        }}
      />
    );
  return <Context.Provider value={{ session, signOut }}>{children}</Context.Provider>;
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    try {
      const who = await hub.get<WhoAmI>('/access/me', { key: key.trim() });
      if (who.role === 'SYSTEM') setProblem(t.signIn.systemKey);
      else onSignedIn({ key: key.trim(), who });
    } catch (error) {
      setProblem(
        error instanceof HubError && error.status === 401 ? t.signIn.refused : String(error),
      );
    }
  };
  return (
    <main className="sign-in">
      <h1>{t.appName}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <h2>{t.signIn.title}</h2>
        <label className="field">
          <span>{t.signIn.key}</span>
          <input
            name="api-key"
            type="password"
            autoComplete="off"
            required
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        <button type="submit">{t.signIn.submit}</button>
        {problem && (
          <p role="alert" className="problem">
            {problem}
          </p>
        )}
      </form>
    </main>
  );
}
