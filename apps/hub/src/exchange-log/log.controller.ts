import { Controller, Get, HttpStatus, Inject, Query } from '@nestjs/common';
import { definedFilters } from '@lgsp/persistence';
import { ApiError } from '@lgsp/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { Roles } from '../access/access.guard';
import { StoredValues } from '../privacy/stored-values';
import { LogEntry } from './exchange-log.entities';

export class LogQuery {
  @IsOptional()
  @IsString()
  eventId?: string;

  @IsOptional()
  @IsString()
  correlationId?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** The exchange log's entries for one event or one case, in the order they were written. */
@Controller('log')
@Roles('AUDITOR', 'OPERATOR', 'ADMIN')
export class LogController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(StoredValues) private readonly values: StoredValues,
  ) {}

  @Get()
  entries(@Query() q: LogQuery): Promise<LogEntry[]> {
    if (!q.eventId && !q.correlationId) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'HUB.FILTER_REQUIRED',
        'Give eventId or correlationId.',
      );
    }
    return this.dataSource.getRepository(LogEntry).find({
      where: definedFilters({
        eventId: q.eventId === undefined ? undefined : In(this.values.searchedIds(q.eventId)),
        correlationId:
          q.correlationId === undefined ? undefined : In(this.values.searchedIds(q.correlationId)),
      }),
      order: { id: 'ASC' },
      take: q.limit ?? 100,
    });
  }
}
