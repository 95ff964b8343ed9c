import { Controller, Get, HttpStatus, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { definedFilters } from '@lgsp/persistence';
import { ApiError } from '@lgsp/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { ExchangeTransaction } from './exchange-log.entities';
import { withTerms } from './transaction-terms';
import { Transaction } from './transaction.dto';
import { Roles } from '../access/access.guard';
import { StoredValues } from '../privacy/stored-values';

export class TransactionsQuery {
  @IsOptional()
  @IsString()
  service?: string;

  @IsOptional()
  @IsIn(['PENDING', 'SUCCESS', 'FAILED', 'REJECTED', 'TIMED_OUT'])
  status?: string;

  @IsOptional()
  @IsString()
  correlationId?: string;

  @IsOptional()
  @IsString()
  consumer?: string;

  @IsOptional()
  @IsString()
  provider?: string;

  /** Published at or after this time. */
  @IsOptional()
  @IsISO8601()
  from?: string;

  /** Published before this time. */
  @IsOptional()
  @IsISO8601()
  to?: string;

  /**
   * Keyset cursor for the next page: `<publishedAt ISO>|<eventId>|<consumer>` of the last
   * transaction of the previous page (newest first).
   */
  @IsOptional()
  @Matches(/^[^|]+\|[^|]+\|[^|]+$/)
  before?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** Transactions, for operators and auditors. */
@Controller()
@Roles('OPERATOR', 'AUDITOR', 'ADMIN')
export class TransactionsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(StoredValues) private readonly values: StoredValues,
  ) {}

  /** The transactions (one per subscribing consumer) opened by one event. */
  @Get('transactions/:eventId')
  @ApiOkResponse({ description: 'One per subscribing consumer.', type: [Transaction] })
  async byEvent(@Param('eventId') eventId: string): Promise<ExchangeTransaction[]> {
    const found = await this.dataSource.getRepository(ExchangeTransaction).find({
      where: { eventId: In(this.values.searchedIds(eventId)) },
      order: { consumer: 'ASC' },
    });
    if (found.length === 0) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'HUB.TRANSACTION_NOT_FOUND',
        `No transaction for event ${eventId} (yet).`,
      );
    }
    return withTerms(this.dataSource, found);
  }

  /** Newest first, a page at a time (keyset: `before`). */
  @Get('transactions')
  @ApiOkResponse({ description: 'A page, newest first.', type: [Transaction] })
  async list(@Query() q: TransactionsQuery): Promise<ExchangeTransaction[]> {
    const query = this.dataSource
      .getRepository(ExchangeTransaction)
      .createQueryBuilder('t')
      .where('true');
    const filters = definedFilters({
      serviceCode: q.service,
      status: q.status,
      correlationId:
        q.correlationId === undefined ? undefined : In(this.values.searchedIds(q.correlationId)),
      consumer: q.consumer,
      provider: q.provider,
    });
    if (Object.keys(filters).length > 0) query.andWhere(filters);
    if (q.from) query.andWhere('t.publishedAt >= :from', { from: new Date(q.from) });
    if (q.to) query.andWhere('t.publishedAt < :to', { to: new Date(q.to) });
    if (q.before) {
      const [at, eventId, consumer] = q.before.split('|');
      const before = new Date(at);
      if (Number.isNaN(before.getTime()))
        throw new ApiError(HttpStatus.BAD_REQUEST, 'HUB.BAD_CURSOR', `Not a cursor: ${q.before}.`);
      query.andWhere('(t.publishedAt, t.eventId, t.consumer) < (:before, :eventId, :consumer)', {
        before,
        eventId,
        consumer,
      });
    }
    const page = await query
      .orderBy('t.publishedAt', 'DESC', 'NULLS LAST')
      .addOrderBy('t.eventId', 'DESC')
      .addOrderBy('t.consumer', 'DESC')
      .take(q.limit ?? 100)
      .getMany();
    return withTerms(this.dataSource, page);
  }
}
