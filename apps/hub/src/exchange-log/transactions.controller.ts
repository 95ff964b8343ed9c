import { Controller, Get, HttpStatus, Inject, Param, Query } from '@nestjs/common';
import { definedFilters } from '@lgsp/persistence';
import { ApiError } from '@lgsp/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { ExchangeTransaction } from './exchange-log.entities';
import { type SuccessRate, SuccessRateQuery } from './success-rate.query';

export class WindowQuery {
  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;
}

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

const DAY_MS = 86_400_000;

function window(q: WindowQuery): [Date, Date] {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY_MS);
  if (from >= to)
    throw new ApiError(HttpStatus.BAD_REQUEST, 'HUB.INVALID_WINDOW', '`from` must be before `to`.');
  return [from, to];
}

@Controller()
export class TransactionsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SuccessRateQuery) private readonly successRates: SuccessRateQuery,
  ) {}

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

  @Get('services/:code/success-rate')
  forService(@Param('code') code: string, @Query() q: WindowQuery): Promise<SuccessRate> {
    const [from, to] = window(q);
    return this.successRates.forWindow(from, to, code);
  }

  @Get('success-rate')
  forHub(@Query() q: WindowQuery): Promise<SuccessRate> {
    const [from, to] = window(q);
    return this.successRates.forWindow(from, to);
  }
}
