import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
} from '@nestjs/common';
import { ApiError, type RequestWithCorrelation } from '@lgsp/platform';
import { DataSource } from 'typeorm';
import { CIVIL_STATUS_CONFIG, type CivilStatusConfig } from '../civil-status.config';
import { Birth } from './birth.entity';
import { RegisterBirthDto, type BirthRegistrationResult } from './register-birth.dto';
import { RegisterBirthUseCase } from './register-birth.use-case';

@Controller('births')
export class BirthsController {
  constructor(
    @Inject(RegisterBirthUseCase) private readonly registerBirth: RegisterBirthUseCase,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CIVIL_STATUS_CONFIG) private readonly config: CivilStatusConfig,
  ) {}

  @Post()
  register(
    @Body() dto: RegisterBirthDto,
    @Req() req: RequestWithCorrelation,
  ): Promise<BirthRegistrationResult> {
    return this.registerBirth.execute(dto, req.correlationId, this.config.PROVINCE_CODE);
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<Birth> {
    const birth = await this.dataSource.getRepository(Birth).findOneBy({ id });
    if (!birth)
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'CIVIL_STATUS.BIRTH_NOT_FOUND',
        `No birth registration ${id}.`,
      );
    return birth;
  }
}
