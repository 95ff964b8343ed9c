import { Body, Controller, Get, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  BENEFICIARY_GROUPS,
  type BeneficiaryGroup,
  formatBhytCardNumber,
  IdentityV1,
  IsCalendarDate,
  IsOnOrAfter,
  IsPersonalId,
} from '@lgsp/contracts';
import { definedFilters } from '@lgsp/persistence';
import { ApiError, foundOr404, findPage, type Page, PageQuery } from '@lgsp/platform';
import { DataSource } from 'typeorm';
import { INSURANCE_CONFIG, type InsuranceConfig } from '../insurance.config';
import { Card, FuneralAllowance, Participant } from '../participants/insurance.entities';
import { reserveSiNumbers } from '../participants/si-number.allocator';

export class CardQuery extends PageQuery {
  @IsOptional()
  @IsPersonalId()
  personalId?: string;

  @IsOptional()
  @IsIn(['ACTIVE', 'TERMINATED'])
  status?: string;

  @IsOptional()
  @IsIn(['NOT_REQUESTED', 'REQUESTED', 'LINKED', 'MISMATCH', 'NOT_FOUND'])
  linkStatus?: string;
}

/** A person joining insurance (or updated): pensioners and contributors have rights on death. */
export class ParticipantDto extends IdentityV1 {
  @IsOptional()
  @IsBoolean()
  isPensioner?: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1200)
  contributionMonths?: number;
}

/** An existing card entered into the system (issued before personal IDs; not yet linked). */
export class CardDto {
  @IsPersonalId()
  personalId: string;

  @IsIn(BENEFICIARY_GROUPS)
  beneficiaryGroup: BeneficiaryGroup;

  @IsInt()
  @Min(1)
  @Max(5)
  benefitLevel: number;

  @IsCalendarDate()
  validFrom: string;

  @IsCalendarDate()
  @IsOnOrAfter('validFrom')
  validTo: string;
}

@Controller()
export class InsuranceRecordsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(INSURANCE_CONFIG) private readonly config: InsuranceConfig,
  ) {}

  @Get('cards/:cardNumber')
  async card(@Param('cardNumber') cardNumber: string): Promise<Card> {
    return foundOr404(
      await this.dataSource.getRepository(Card).findOneBy({ cardNumber }),
      'INSURANCE.CARD_NOT_FOUND',
      `No card ${cardNumber}.`,
    );
  }

  @Get('cards')
  cards(@Query() q: CardQuery): Promise<Page<Card>> {
    const where = definedFilters({
      personalId: q.personalId,
      status: q.status,
      linkStatus: q.linkStatus,
    });
    return findPage(this.dataSource.getRepository(Card), where, { cardNumber: 'ASC' }, q);
  }

  @Post('cards')
  async createCard(@Body() dto: CardDto): Promise<Card> {
    const participant = await this.dataSource
      .getRepository(Participant)
      .findOneBy({ personalId: dto.personalId });
    if (!participant) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'INSURANCE.PARTICIPANT_NOT_FOUND',
        'Register the participant first.',
      );
    }
    const cardNumber = formatBhytCardNumber(
      dto.beneficiaryGroup,
      dto.benefitLevel,
      this.config.PROVINCE_CODE,
      participant.socialInsuranceNumber,
    );
    const repo = this.dataSource.getRepository(Card);
    if (await repo.existsBy({ cardNumber })) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'INSURANCE.CARD_EXISTS',
        `Card ${cardNumber} exists already.`,
      );
    }
    await repo.insert({
      ...dto,
      cardNumber,
      socialInsuranceNumber: participant.socialInsuranceNumber,
      status: 'ACTIVE',
    });
    return repo.findOneByOrFail({ cardNumber });
  }

  @Post('participants')
  async participant(@Body() dto: ParticipantDto): Promise<Participant> {
    // A number for a newcomer is reserved before the transaction (a connection of its own);
    // unused, because the participant exists after all, it is a gap.
    const known = await this.dataSource
      .getRepository(Participant)
      .findOneBy({ personalId: dto.personalId });
    const reserved = known
      ? undefined
      : (await reserveSiNumbers(this.dataSource, this.config.PROVINCE_CODE, 1))[0];
    return this.dataSource.transaction(async (m) => {
      const existing = await m.findOneBy(Participant, { personalId: dto.personalId });
      const socialInsuranceNumber =
        existing?.socialInsuranceNumber ??
        reserved ??
        (await reserveSiNumbers(this.dataSource, this.config.PROVINCE_CODE, 1))[0];
      await m.upsert(
        Participant,
        {
          ...dto,
          socialInsuranceNumber,
          isPensioner: dto.isPensioner ?? false,
          contributionMonths: dto.contributionMonths ?? 0,
        },
        ['personalId'],
      );
      return m.findOneByOrFail(Participant, { personalId: dto.personalId });
    });
  }

  @Get('participants/:personalId')
  async participantById(@Param('personalId') personalId: string): Promise<Participant> {
    return foundOr404(
      await this.dataSource.getRepository(Participant).findOneBy({ personalId }),
      'INSURANCE.PARTICIPANT_NOT_FOUND',
      `No participant ${personalId}.`,
    );
  }

  @Get('funeral-allowances/:personalId')
  async funeralAllowance(@Param('personalId') personalId: string): Promise<FuneralAllowance> {
    return foundOr404(
      await this.dataSource.getRepository(FuneralAllowance).findOneBy({ personalId }),
      'INSURANCE.NO_FUNERAL_ALLOWANCE',
      `No funeral allowance for ${personalId}.`,
    );
  }
}
