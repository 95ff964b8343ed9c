import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { CardIssuedV1 } from '@lgsp/contracts';
import { OutboxWriter } from '@lgsp/messaging';
import { LOGGER } from '@lgsp/observability';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { childCardEnd } from '../participants/insurance-rules';

const BATCH = 500;

/**
 * The end date the database computes for a child's card, as `childCardEnd` does: it only
 * finds the candidates, and the rule in code decides each one.
 */
const RULE_IN_SQL = `CASE WHEN to_char(valid_from, 'MMDD') <= '0930'
       THEN make_date(extract(year FROM valid_from)::int + 6, 9, 30)
       ELSE (date_trunc('month', valid_from + interval '6 years') + interval '1 month - 1 day')::date END`;

interface Row {
  card_number: string;
  personal_id: string;
  social_insurance_number: string;
  benefit_level: number;
  valid_from: string;
  valid_to: string;
}

/**
 * Cards issued before the end date followed Decree 146/2018/NĐ-CP, Art. 13(2) ran to the day
 * before the sixth birthday. At start-up (and whenever `correctAll` is called) every active
 * child's card whose end differs from the decree's is given it, and a `card-issued` event
 * with the corrected dates is published in the same transaction, so that systems that keep
 * cards learn the new date: the latest `card-issued` of a card number is the card. Cards
 * already right are not touched, so a second run does nothing; replicas skip each other's
 * rows (SKIP LOCKED).
 */
@Injectable()
export class ChildCardCorrection implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;
  private running?: Promise<number>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.correctAll();
    this.running.catch((e: unknown) =>
      this.logger.warn(
        { err: (e as Error).message },
        'child card correction failed; runs again at the next start',
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  /** Corrects every card that needs it; returns how many it corrected. */
  async correctAll(): Promise<number> {
    let corrected = 0;
    let after = '';
    for (;;) {
      if (this.stopped) break;
      const batch = await this.correctBatch(after);
      corrected += batch.corrected;
      if (batch.last === undefined) break;
      after = batch.last;
    }
    if (corrected > 0)
      this.logger.info(
        { corrected },
        'child cards given the end date of Decree 146/2018, Art. 13(2)',
      );
    return corrected;
  }

  private correctBatch(after: string): Promise<{ corrected: number; last?: string }> {
    return this.dataSource.transaction(async (tx) => {
      const rows: Row[] = await tx.query(
        `SELECT card_number, personal_id, social_insurance_number, benefit_level,
                valid_from::text AS valid_from, valid_to::text AS valid_to
           FROM cards
          WHERE beneficiary_group = 'TE' AND status = 'ACTIVE' AND card_number > $1::bpchar
            AND valid_to <> ${RULE_IN_SQL}
          ORDER BY card_number LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [after, BATCH],
      );
      if (rows.length === 0) return { corrected: 0 };
      const due = rows
        .map((r) => ({ ...r, end: childCardEnd(r.valid_from) }))
        .filter((r) => r.end !== r.valid_to);
      if (due.length > 0) {
        await tx.query(
          `UPDATE cards AS c SET valid_to = v.valid_to
             FROM unnest($1::text[], $2::date[]) AS v(card_number, valid_to)
            WHERE c.card_number = v.card_number::bpchar`,
          [due.map((r) => r.card_number), due.map((r) => r.end)],
        );
        const correlationId = randomUUID();
        await this.outbox.enqueue(
          tx,
          due.map((r) => {
            const data: CardIssuedV1 = {
              cardNumber: r.card_number,
              personalId: r.personal_id,
              beneficiaryGroup: 'TE',
              benefitLevel: r.benefit_level,
              socialInsuranceNumber: r.social_insurance_number,
              validFrom: r.valid_from,
              validTo: r.end,
            };
            return this.outbox.build({ type: 'insurance.card-issued.v1', data, correlationId })
              .message;
          }),
        );
      }
      return { corrected: due.length, last: rows[rows.length - 1].card_number };
    });
  }
}
