import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Inject,
  Injectable,
  Module,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  SexedIdentityV1,
  type DeathRegisteredV1,
  IsNfcText,
  IsOnOrAfter,
  IsPastDate,
  today,
} from '@lgsp/contracts';
import { OutboxWriter } from '@lgsp/messaging';
import {
  foundOr404,
  findPage,
  type Page,
  PageQuery,
  type RequestWithCorrelation,
} from '@lgsp/platform';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Death } from './death.entity';

export class RegisterDeathDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SexedIdentityV1)
  deceased: SexedIdentityV1;

  @IsPastDate()
  @IsOnOrAfter('dateOfBirthOfDeceased')
  dateOfDeath: string;

  @IsOptional()
  @IsNfcText(2, 200)
  placeOfDeath?: string;

  /** Lets the date order be checked against the nested date of birth. */
  get dateOfBirthOfDeceased(): string | undefined {
    return this.deceased?.dateOfBirth;
  }
}

export interface DeathRegistrationResult {
  registrationId: string;
  eventId: string;
  correlationId: string;
}

@Injectable()
export class RegisterDeathUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  /** A person's death is registered once; a second request returns the first registration. */
  async execute(
    dto: RegisterDeathDto,
    correlationId: string,
  ): Promise<DeathRegistrationResult & { created: boolean }> {
    const existing = await this.dataSource
      .getRepository(Death)
      .findOneBy({ deceasedPersonalId: dto.deceased.personalId });
    if (existing) return { ...resultOf(existing), created: false };
    const event: DeathRegisteredV1 = {
      registrationId: randomUUID(),
      registeredOn: today(),
      deceased: dto.deceased,
      dateOfDeath: dto.dateOfDeath,
      ...(dto.placeOfDeath ? { placeOfDeath: dto.placeOfDeath } : {}),
    };
    return this.dataSource.transaction(async (tx) => {
      const envelope = await this.outbox.publish(tx, {
        type: 'civil-status.death-registered.v1',
        data: event,
        correlationId,
      });
      const death = tx.create(Death, {
        id: event.registrationId,
        registeredOn: event.registeredOn,
        deceasedPersonalId: dto.deceased.personalId,
        deceasedFullName: dto.deceased.fullName,
        deceasedSex: dto.deceased.sex,
        deceasedDateOfBirth: dto.deceased.dateOfBirth,
        dateOfDeath: dto.dateOfDeath,
        placeOfDeath: dto.placeOfDeath ?? null,
        correlationId,
        eventId: envelope.id,
      });
      await tx.insert(Death, death);
      return { ...resultOf(death), created: true };
    });
  }
}

function resultOf(d: Death): DeathRegistrationResult {
  return { registrationId: d.id, eventId: d.eventId, correlationId: d.correlationId };
}

@Controller('deaths')
export class DeathsController {
  constructor(
    @Inject(RegisterDeathUseCase) private readonly registerDeath: RegisterDeathUseCase,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  @Post()
  async register(
    @Body() dto: RegisterDeathDto,
    @Req() req: RequestWithCorrelation,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeathRegistrationResult> {
    const { created, ...result } = await this.registerDeath.execute(dto, req.correlationId);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return result;
  }

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<Death> {
    return foundOr404(
      await this.dataSource.getRepository(Death).findOneBy({ id }),
      'CIVIL_STATUS.DEATH_NOT_FOUND',
      `No death registration ${id}.`,
    );
  }

  @Get()
  list(@Query() q: PageQuery): Promise<Page<Death>> {
    return findPage(this.dataSource.getRepository(Death), {}, { createdAt: 'DESC' }, q);
  }
}

@Module({ controllers: [DeathsController], providers: [RegisterDeathUseCase] })
export class DeathsModule {}
