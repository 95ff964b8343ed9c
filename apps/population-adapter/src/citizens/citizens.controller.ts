import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { IsNfcText, SexedIdentityV1 } from '@lgsp/contracts';
import { definedFilters } from '@lgsp/persistence';
import { ApiError, foundOr404, findPage, type Page, PageQuery } from '@lgsp/platform';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { Citizen } from './citizen.entity';

/** A citizen entered into the reference copy of the register (as the national database holds them). */
export class CitizenDto extends SexedIdentityV1 {
  @IsOptional()
  @IsNfcText(2, 300)
  permanentAddress?: string;
}

export class CitizenQuery extends PageQuery {
  @IsOptional()
  @IsIn(['ALIVE', 'DECEASED'])
  status?: string;
}

@Controller('citizens')
export class CitizensController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Post()
  async create(@Body() dto: CitizenDto): Promise<Citizen> {
    const repo = this.dataSource.getRepository(Citizen);
    if (await repo.existsBy({ personalId: dto.personalId })) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'POPULATION.CITIZEN_EXISTS',
        'This personal ID is already in the register.',
      );
    }
    await repo.insert({ ...dto, permanentAddress: dto.permanentAddress ?? null, status: 'ALIVE' });
    return repo.findOneByOrFail({ personalId: dto.personalId });
  }

  @Get(':personalId')
  async get(@Param('personalId') personalId: string): Promise<Citizen> {
    return foundOr404(
      await this.dataSource.getRepository(Citizen).findOneBy({ personalId }),
      'POPULATION.CITIZEN_NOT_FOUND',
      `No citizen ${personalId}.`,
    );
  }

  @Get()
  list(@Query() q: CitizenQuery): Promise<Page<Citizen>> {
    return findPage(
      this.dataSource.getRepository(Citizen),
      definedFilters({ status: q.status }),
      { personalId: 'ASC' },
      q,
    );
  }
}
