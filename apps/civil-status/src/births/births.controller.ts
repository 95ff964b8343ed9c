import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { IsPersonalId } from '@lgsp/contracts';
import { definedFilters } from '@lgsp/persistence';
import {
  foundOr404,
  findPage,
  type Page,
  PageQuery,
  type RequestWithCorrelation,
} from '@lgsp/platform';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CIVIL_STATUS_CONFIG, type CivilStatusConfig } from '../civil-status.config';
import { Birth } from './birth.entity';
import { type BirthRegistrationResult, RegisterBirthDto } from './register-birth.dto';
import { RegisterBirthUseCase } from './register-birth.use-case';
import {
  BIRTH_BATCH_RESPONSE,
  type BirthBatchResult,
  RegisterBirthsBatchDto,
} from './register-births-batch.dto';
import { RegisterBirthsBatchUseCase } from './register-births-batch.use-case';

export class BirthQuery extends PageQuery {
  @IsOptional()
  @IsPersonalId()
  motherPersonalId?: string;

  @IsOptional()
  @IsPersonalId()
  childPersonalId?: string;
}

@Controller('births')
export class BirthsController {
  constructor(
    @Inject(RegisterBirthUseCase) private readonly registerBirth: RegisterBirthUseCase,
    @Inject(RegisterBirthsBatchUseCase) private readonly registerBirths: RegisterBirthsBatchUseCase,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CIVIL_STATUS_CONFIG) private readonly config: CivilStatusConfig,
  ) {}

  /** 201 for a new registration; 200 with the first registration when the same birth is submitted again. */
  @Post()
  async register(
    @Body() dto: RegisterBirthDto,
    @Req() req: RequestWithCorrelation,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BirthRegistrationResult> {
    const { created, ...result } = await this.registerBirth.execute(
      dto,
      req.correlationId,
      this.config.PROVINCE_CODE,
    );
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }

  @Post('batch')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Register up to 1000 births at once',
    description:
      'Each item is the body of POST /births and is answered on its own, in the order given: ' +
      'CREATED, EXISTING (the first registration of the same birth, already registered or ' +
      'earlier in the batch) or REFUSED with the field errors POST /births would give. Each ' +
      'new birth gets its own correlation id. More than 1000 items: 400 REQUEST.VALIDATION_FAILED.',
  })
  @ApiOkResponse({ description: 'One result per item.', schema: BIRTH_BATCH_RESPONSE })
  registerBatch(@Body() batch: RegisterBirthsBatchDto): Promise<BirthBatchResult> {
    return this.registerBirths.execute(batch.items, this.config.PROVINCE_CODE);
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<Birth> {
    return foundOr404(
      await this.dataSource.getRepository(Birth).findOneBy({ id }),
      'CIVIL_STATUS.BIRTH_NOT_FOUND',
      `No birth registration ${id}.`,
    );
  }

  @Get()
  list(@Query() q: BirthQuery): Promise<Page<Birth>> {
    const where = definedFilters({
      motherPersonalId: q.motherPersonalId,
      childPersonalId: q.childPersonalId,
    });
    return findPage(this.dataSource.getRepository(Birth), where, { createdAt: 'DESC' }, q);
  }
}
