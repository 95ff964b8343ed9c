import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { CardLinkRequestedV1, CardLinkVerifiedV1 } from '@lgsp/contracts';
import {
  type BatchItem,
  OnEvent,
  OutboxWriter,
  type RawOutboxMessage,
  type SetContext,
} from '@lgsp/messaging';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export class LinkRequestDto {
  /** At most this many not-yet-linked cards in this call. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  batchSize?: number;
}

const RESULT_STATUS = { MATCH: 'LINKED', MISMATCH: 'MISMATCH', NOT_FOUND: 'NOT_FOUND' } as const;

/**
 * Card–ID link: cards issued before personal IDs existed are sent, in batches, to be
 * verified against the population register; a MATCH links the card to the ID.
 */
@Controller('cards')
export class CardLinksController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  @Post('link-requests')
  async request(@Body() dto: LinkRequestDto): Promise<{ requested: number; batches: string[] }> {
    const limit = dto.limit ?? 10_000;
    const batchSize = dto.batchSize ?? 500;
    return this.dataSource.transaction(async (tx) => {
      const cards: {
        card_number: string;
        personal_id: string;
        full_name: string;
        date_of_birth: string;
      }[] = await tx.query(
        `SELECT c.card_number, c.personal_id, p.full_name, to_char(p.date_of_birth, 'YYYY-MM-DD') AS date_of_birth
             FROM cards c JOIN participants p ON p.personal_id = c.personal_id
            WHERE c.link_status = 'NOT_REQUESTED' AND c.status = 'ACTIVE'
            ORDER BY c.card_number LIMIT $1 FOR UPDATE OF c SKIP LOCKED`,
        [limit],
      );
      const batches: string[] = [];
      for (let i = 0; i < cards.length; i += batchSize) {
        const batchId = randomUUID();
        batches.push(batchId);
        const messages: RawOutboxMessage[] = cards.slice(i, i + batchSize).map((c) => {
          const data: CardLinkRequestedV1 = {
            cardNumber: c.card_number,
            personalId: c.personal_id,
            fullName: c.full_name,
            dateOfBirth: c.date_of_birth,
            batchId,
          };
          return this.outbox.build({
            type: 'insurance.card-link-requested.v1',
            data,
            correlationId: batchId,
          }).message;
        });
        await this.outbox.enqueue(tx, messages);
      }
      await tx.query(
        `UPDATE cards SET link_status = 'REQUESTED', link_updated_at = now() WHERE card_number = ANY($1)`,
        [cards.map((c) => c.card_number)],
      );
      return { requested: cards.length, batches };
    });
  }

  @Get('link-summary')
  async summary(): Promise<{
    total: number;
    byStatus: Record<string, number>;
    linkedShare: number | null;
  }> {
    const rows: { link_status: string; n: string }[] = await this.dataSource.query(
      `SELECT link_status, count(*) AS n FROM cards WHERE status = 'ACTIVE' GROUP BY link_status`,
    );
    const byStatus = Object.fromEntries(rows.map((r) => [r.link_status, Number(r.n)]));
    const total = rows.reduce((s, r) => s + Number(r.n), 0);
    return {
      total,
      byStatus,
      linkedShare: total ? Math.round(((byStatus.LINKED ?? 0) / total) * 10000) / 10000 : null,
    };
  }

  /** The outcomes of a batch of verifications, written in one UPDATE. */
  @OnEvent('population.card-link-verified.v1', { batch: true })
  async verified(
    @Payload() outcomes: BatchItem<CardLinkVerifiedV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const latest = new Map(outcomes.map((o) => [o.payload.cardNumber, o.payload]));
    const rows = [...latest.values()];
    await ctx.manager.query(
      `UPDATE cards AS c SET link_status = v.status, link_mismatched_fields = v.fields, link_updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS v(card_number char(15), status text, fields text[])
        WHERE c.card_number = v.card_number`,
      [
        JSON.stringify(
          rows.map((v) => ({
            card_number: v.cardNumber,
            status: RESULT_STATUS[v.result],
            fields: v.mismatchedFields ?? null,
          })),
        ),
      ],
    );
  }
}
