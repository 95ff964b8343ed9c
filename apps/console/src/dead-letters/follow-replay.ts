import { useEffect, useState } from 'react';
import { hub } from '../api/client';
import type { Transaction } from '../api/types';

export interface Followed {
  eventId: string;
  consumer: string;
  status: string;
  done: boolean;
  errorCode: string | null;
}

/**
 * After a replay, the transactions it asked for, read again until each is settled: SUCCESS,
 * or FAILED / REJECTED again with a receipt newer than the request.
 */
export function useFollowReplay(
  targets: { eventId: string; consumer: string }[],
  requestedAt: number,
) {
  const [state, setState] = useState<Followed[]>([]);
  useEffect(() => {
    if (!targets.length) return;
    let stopped = false;
    const poll = async () => {
      const next = await Promise.all(
        targets.map(async ({ eventId, consumer }) => {
          const all = await hub.get<Transaction[]>('/transactions/{eventId}', {
            params: { eventId },
          });
          const tx = all.find((x) => x.consumer === consumer);
          const settledAgain =
            !!tx?.completedAt && new Date(tx.completedAt).getTime() > requestedAt;
          const done = tx?.status === 'SUCCESS' || (settledAgain && tx?.status !== 'PENDING');
          return {
            eventId,
            consumer,
            status: tx?.status ?? 'PENDING',
            done,
            errorCode: tx?.errorCode ?? null,
          };
        }),
      );
      if (stopped) return;
      setState(next);
      if (next.some((x) => !x.done)) setTimeout(() => void poll().catch(() => undefined), 1500);
    };
    void poll().catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, [targets, requestedAt]);
  return state;
}
