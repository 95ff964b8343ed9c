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
} from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  IdentityV1,
  type CitizenDeceasedV1,
  type IdentityVerifiedV1,
  type OwnershipRegisteredV1,
  ParcelV1,
  today,
} from '@lgsp/contracts';
import { type BatchItem, OnEvent, OutboxWriter, type SetContext } from '@lgsp/messaging';
import { definedFilters } from '@lgsp/persistence';
import {
  ApiError,
  findPage,
  type Page,
  PageQuery,
  type RequestWithCorrelation,
} from '@lgsp/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBooleanString,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  ValidateNested,
} from 'class-validator';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Owner, Parcel } from './land.entities';

export class RegisterOwnershipDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ParcelV1)
  parcel: ParcelV1;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => IdentityV1)
  owners: IdentityV1[];
}

export class ParcelQuery extends PageQuery {
  @IsOptional()
  @IsBooleanString()
  inheritanceFlagged?: string;
}

export class OwnerQuery extends PageQuery {
  @IsOptional()
  @IsIn(['PENDING', 'VERIFIED', 'FLAGGED'])
  verificationStatus?: string;
}

@Controller()
export class ParcelsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  /** Registers a parcel and its owners; their identities are then verified by the population register. */
  @Post('parcels')
  async register(@Body() dto: RegisterOwnershipDto, @Req() req: RequestWithCorrelation) {
    const { communeCode, mapSheetNumber, parcelNumber } = dto.parcel;
    if (
      await this.dataSource
        .getRepository(Parcel)
        .existsBy({ communeCode, mapSheetNumber, parcelNumber })
    ) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'LAND.PARCEL_EXISTS',
        'This parcel (commune, map sheet, number) is already registered.',
      );
    }
    const event: OwnershipRegisteredV1 = {
      registrationId: randomUUID(),
      registeredOn: today(),
      parcel: dto.parcel,
      owners: dto.owners.map((o) => ({ ownerId: randomUUID(), ...o })),
    };
    return this.dataSource.transaction(async (tx) => {
      await tx.insert(Parcel, {
        id: event.registrationId,
        ...dto.parcel,
        registeredOn: event.registeredOn,
        inheritanceFlagged: false,
        correlationId: req.correlationId,
      });
      await tx.insert(
        Owner,
        event.owners.map((o) => ({
          ...o,
          parcelId: event.registrationId,
          verificationStatus: 'PENDING',
        })),
      );
      const envelope = await this.outbox.publish(tx, {
        type: 'land.ownership-registered.v1',
        data: event,
        correlationId: req.correlationId,
      });
      return {
        parcelId: event.registrationId,
        eventId: envelope.id,
        correlationId: req.correlationId,
        owners: event.owners.map((o) => o.ownerId),
      };
    });
  }

  @Get('parcels/:id')
  async parcel(@Param('id', new ParseUUIDPipe()) id: string) {
    const parcel = await this.dataSource.getRepository(Parcel).findOneBy({ id });
    if (!parcel)
      throw new ApiError(HttpStatus.NOT_FOUND, 'LAND.PARCEL_NOT_FOUND', `No parcel ${id}.`);
    return {
      ...parcel,
      owners: await this.dataSource.getRepository(Owner).findBy({ parcelId: id }),
    };
  }

  @Get('parcels')
  parcels(@Query() q: ParcelQuery): Promise<Page<Parcel>> {
    const flagged =
      q.inheritanceFlagged === undefined ? undefined : q.inheritanceFlagged === 'true';
    return findPage(
      this.dataSource.getRepository(Parcel),
      definedFilters({ inheritanceFlagged: flagged }),
      { createdAt: 'DESC' },
      q,
    );
  }

  @Get('owners')
  owners(@Query() q: OwnerQuery): Promise<Page<Owner>> {
    const where = definedFilters({ verificationStatus: q.verificationStatus });
    return findPage(this.dataSource.getRepository(Owner), where, { ownerId: 'ASC' }, q);
  }

  /** Land flow, last step: owners verified, or flagged with what the register disagreed on; one UPDATE per batch. */
  @OnEvent('population.identity-verified.v1', { batch: true })
  async verified(
    @Payload() outcomes: BatchItem<IdentityVerifiedV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    const latest = new Map(outcomes.map((o) => [o.payload.ownerId, o.payload]));
    await ctx.manager.query(
      `UPDATE owners AS o SET verification_status = v.status, verification_result = v.result,
              mismatched_fields = v.fields
         FROM jsonb_to_recordset($1::jsonb) AS v(owner_id uuid, status text, result text, fields text[])
        WHERE o.owner_id = v.owner_id`,
      [
        JSON.stringify(
          [...latest.values()].map((v) => ({
            owner_id: v.ownerId,
            status: v.result === 'MATCH' ? 'VERIFIED' : 'FLAGGED',
            result: v.result,
            fields: v.mismatchedFields ?? null,
          })),
        ),
      ],
    );
  }

  /** Death chain: parcels of deceased owners are flagged for inheritance follow-up, per batch. */
  @OnEvent('population.citizen-deceased.v1', { batch: true })
  async deceased(
    @Payload() deaths: BatchItem<CitizenDeceasedV1>[],
    @Ctx() ctx: SetContext,
  ): Promise<void> {
    await ctx.manager.query(
      `WITH owned AS (UPDATE owners SET deceased = true WHERE personal_id = ANY($1::char(12)[])
                      RETURNING parcel_id)
       UPDATE parcels SET inheritance_flagged = true WHERE id IN (SELECT parcel_id FROM owned)`,
      [deaths.map((d) => d.payload.personalId)],
    );
  }
}
