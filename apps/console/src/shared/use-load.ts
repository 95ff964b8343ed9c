import { useCallback, useEffect, useState } from 'react';

/** Loads data when its inputs change; `reload` loads again (auto-refresh, after an action). */
export function useLoad<T>(load: () => Promise<T>, inputs: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({
    loading: true,
  });
  const run = useCallback(load, inputs);
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => setState({ data, loading: false }),
      (error: Error) => setState({ error, loading: false }),
    );
  }, [run]);
  useEffect(reload, [reload]);
  return { ...state, reload };
}
