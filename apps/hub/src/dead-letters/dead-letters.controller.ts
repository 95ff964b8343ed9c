import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse } from '@nestjs/swagger';
import { ApiError } from '@lgsp/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { type RequestWithPrincipal, Roles } from '../access/access.guard';
import type { ExchangeTransaction } from '../exchange-log/exchange-log.entities';
import { Transaction } from '../exchange-log/transaction.dto';
import { DeadLetterGroup, ReplayAnswer } from './dead-letters.dto';
import { DeadLetters } from './replay-dead-letters.use-case';

/** Which dead letters: by consumer, service and error code. */
export class DeadLetterFilter {
  @IsOptional()
  @IsString()
  consumer?: string;

  @IsOptional()
  @IsString()
  service?: string;

  @IsOptional()
  @IsString()
  errorCode?: string;
}

export class DeadLetterQuery extends DeadLetterFilter {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ReplayDto extends DeadLetterFilter {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  eventIds?: string[];

  /** Replay every dead letter: must be said explicitly. */
  @IsOptional()
  @IsBoolean()
  all?: boolean;

  /** Say how many dead letters would be replayed, per consumer, and replay nothing. */
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

@Controller('dead-letters')
@Roles('OPERATOR', 'ADMIN')
export class DeadLettersController {
  constructor(@Inject(DeadLetters) private readonly deadLetters: DeadLetters) {}

  @Get()
  @ApiOkResponse({ description: 'Most recently completed first.', type: [Transaction] })
  list(@Query() q: DeadLetterQuery): Promise<ExchangeTransaction[]> {
    return this.deadLetters.find(q, q.limit ?? 100);
  }

  @Get('summary')
  @ApiOkResponse({ type: [DeadLetterGroup] })
  summary() {
    return this.deadLetters.summary();
  }

  /** Replay one (`eventIds`), a filter of them, or all (`{"all": true}`). */
  @Post('replay')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ type: ReplayAnswer })
  replay(@Body() dto: ReplayDto, @Req() req: RequestWithPrincipal) {
    const { all, dryRun, ...filter } = dto;
    if (!all && Object.values(filter).every((v) => v === undefined)) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'HUB.REPLAY_NEEDS_FILTER',
        'Name eventIds, a consumer, a service or an errorCode, or say {"all": true}.',
      );
    }
    if (dryRun) return this.deadLetters.preview(filter);
    return this.deadLetters.replay(filter, req.principal?.credentialId ?? 'unknown');
  }
}
