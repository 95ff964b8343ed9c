import { Controller, Get, HttpStatus, Inject, Param, Query } from '@nestjs/common';
import { definedFilters } from '@lgsp/persistence';
import { ApiError } from '@lgsp/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { ExchangeTransaction } from './exchange-log.entities';
import { Roles } from '../access/access.guard';

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
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The transactions (one per subscribing consumer) opened by one event. */
  @Get('transactions/:eventId')
  async byEvent(@Param('eventId') eventId: string): Promise<ExchangeTransaction[]> {
    const found = await this.dataSource.getRepository(ExchangeTransaction).find({
      where: { eventId },
      order: { consumer: 'ASC' },
    });
    if (found.length === 0) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'HUB.TRANSACTION_NOT_FOUND',
        `No transaction for event ${eventId} (yet).`,
      );
    }
    return found;
  }

  @Get('transactions')
  list(@Query() q: TransactionsQuery): Promise<ExchangeTransaction[]> {
    return this.dataSource.getRepository(ExchangeTransaction).find({
      where: definedFilters({
        serviceCode: q.service,
        status: q.status,
        correlationId: q.correlationId,
        consumer: q.consumer,
      }),
      order: { publishedAt: 'DESC' },
      take: q.limit ?? 100,
    });
  }
}
