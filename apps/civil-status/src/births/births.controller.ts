import {
  Body,
  Controller,
  Get,
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
import { IsOptional } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CIVIL_STATUS_CONFIG, type CivilStatusConfig } from '../civil-status.config';
import { Birth } from './birth.entity';
import { type BirthRegistrationResult, RegisterBirthDto } from './register-birth.dto';
import { RegisterBirthUseCase } from './register-birth.use-case';

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
