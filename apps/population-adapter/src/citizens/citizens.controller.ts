import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { IsNfcText, SexedIdentityV1 } from '@lgsp/contracts';
import { definedFilters } from '@lgsp/persistence';
import { ApiError, foundOr404, findPage, type Page, PageQuery } from '@lgsp/platform';
import { IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import {
  POPULATION_REGISTRY,
  type PopulationRegistry,
  type RegisteredCitizen,
} from '../registry/population-registry';
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

/**
 * The register's citizens. A look-up goes to whichever register backs the service; entering
 * and listing citizens are for the reference register in this service's database only: with
 * POPULATION_REGISTRY=http the national database is entered elsewhere.
 */
@Controller('citizens')
export class CitizensController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(POPULATION_REGISTRY) private readonly registry: PopulationRegistry,
  ) {}

  private referenceRegisterOnly(): void {
    if (this.registry.kind !== 'postgres')
      throw new ApiError(
        HttpStatus.CONFLICT,
        'POPULATION.REGISTER_IS_REMOTE',
        'The register is the national population API (POPULATION_REGISTRY=http); citizens are entered and listed there.',
      );
  }

  @Post()
  async create(@Body() dto: CitizenDto): Promise<Citizen> {
    this.referenceRegisterOnly();
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
  async get(@Param('personalId') personalId: string): Promise<RegisteredCitizen> {
    return foundOr404(
      (/^\d{12}$/.test(personalId) ? await this.registry.lookUp(personalId) : undefined) ?? null,
      'POPULATION.CITIZEN_NOT_FOUND',
      'No citizen with this personal ID.',
    );
  }

  @Get()
  list(@Query() q: CitizenQuery): Promise<Page<Citizen>> {
    this.referenceRegisterOnly();
    return findPage(
      this.dataSource.getRepository(Citizen),
      definedFilters({ status: q.status }),
      { personalId: 'ASC' },
      q,
    );
  }
}
