import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ReplayRequestedV1 } from '@lgsp/contracts';
import { OutboxWriter } from '@lgsp/messaging';
import { definedFilters } from '@lgsp/persistence';
import { ApiError } from '@lgsp/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { ExchangeTransaction } from '../exchange-log/exchange-log.entities';
import { withTerms } from '../exchange-log/transaction-terms';
import { HUB_CONSUMER } from '../exchange-log/log-entry.mapper';

export interface DeadLetterFilter {
  eventIds?: string[];
  consumer?: string;
  service?: string;
  errorCode?: string;
}

const CHUNK = 500;
const MAX_PER_CALL = 50_000;

/**
 * Dead letters as the hub sees them: transactions a consumer settled as FAILED or
 * REJECTED (each of which it also dead-lettered). A replay sends each consumer a request
 * naming its events; the consumer runs its own copies again and its new receipts update
 * the transactions.
 */
@Injectable()
export class DeadLetters {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async find(f: DeadLetterFilter, limit: number): Promise<ExchangeTransaction[]> {
    const found = await this.dataSource.getRepository(ExchangeTransaction).find({
      where: definedFilters({
        failedAt: Not(IsNull()),
        status: In(['FAILED', 'REJECTED']),
        consumer: f.consumer ?? Not(HUB_CONSUMER),
        serviceCode: f.service,
        errorCode: f.errorCode,
        eventId: f.eventIds ? In(f.eventIds) : undefined,
      }),
      order: { completedAt: 'DESC' },
      take: limit,
    });
    return withTerms(this.dataSource, found);
  }

  summary(): Promise<
    {
      consumer: string;
      service: string | null;
      status: string;
      errorCode: string | null;
      count: number;
    }[]
  > {
    return this.dataSource.query(
      `SELECT consumer, service_code AS service, status, error_code AS "errorCode", count(*)::int AS count
         FROM transactions
        WHERE failed_at IS NOT NULL AND status IN ('FAILED', 'REJECTED') AND consumer <> $1
        GROUP BY consumer, service_code, status, error_code
        ORDER BY consumer, service_code, status, error_code`,
      [HUB_CONSUMER],
    );
  }

  /** What `replay` would request, and nothing replayed: the count per consumer. */
  async preview(f: DeadLetterFilter) {
    const found = await this.find(f, MAX_PER_CALL);
    const byConsumer = new Map<string, number>();
    for (const t of found) byConsumer.set(t.consumer, (byConsumer.get(t.consumer) ?? 0) + 1);
    return {
      dryRun: true,
      requested: found.length,
      consumers: [...byConsumer].map(([consumer, events]) => ({ consumer, events })),
    };
  }

  async replay(f: DeadLetterFilter, requestedBy: string) {
    const found = await this.find(f, MAX_PER_CALL);
    if (found.length === 0) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'HUB.NO_DEAD_LETTERS',
        'No dead letters match the filter.',
      );
    }
    const byConsumer = new Map<string, string[]>();
    for (const t of found)
      byConsumer.set(t.consumer, [...(byConsumer.get(t.consumer) ?? []), t.eventId]);
    const requests: { consumer: string; requestId: string; events: number }[] = [];
    await this.dataSource.transaction(async (tx) => {
      for (const [consumer, eventIds] of byConsumer) {
        for (let i = 0; i < eventIds.length; i += CHUNK) {
          const chunk = eventIds.slice(i, i + CHUNK);
          const request: ReplayRequestedV1 = {
            requestId: randomUUID(),
            consumer,
            eventIds: chunk,
            requestedBy,
          };
          await this.outbox.publish(tx, {
            type: 'hub.replay-requested.v1',
            data: request,
            correlationId: request.requestId,
          });
          requests.push({ consumer, requestId: request.requestId, events: chunk.length });
        }
        await tx.update(
          ExchangeTransaction,
          { consumer, eventId: In(eventIds) },
          { replayRequestedAt: new Date() },
        );
      }
    });
    return { requested: found.length, requests };
  }
}
