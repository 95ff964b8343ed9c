import { Body, Controller, Get, HttpStatus, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { IsCalendarDate, IsNfcText, IsVndAmount, SERVER_ONLY_RULES } from '@lgsp/contracts';
import { ApiError } from '@lgsp/platform';
import { IsIn, IsInt, Matches, Min, ValidateBy } from 'class-validator';
import { DataSource } from 'typeorm';
import {
  ALLOWANCE_BASE_KINDS,
  type AllowanceBaseKind,
  allowanceBaseKindOn,
  REFERENCE_LEVEL_FROM,
} from '../participants/insurance-rules';
import { InsuranceAdminGuard, type RequestWithAdmin } from './insurance-admin.guard';
import { ReferenceLevel, ReferenceLevelChange } from './reference-level.entities';

const KIND_RULE = `kind must be BASE_SALARY for a row before ${REFERENCE_LEVEL_FROM} and REFERENCE_LEVEL from then on`;
// A schema cannot say it: the OpenAPI document names it in the class's description.
SERVER_ONLY_RULES.set('isKindInForceOnEffectiveFrom', () => KIND_RULE.replace(/^kind /, ''));

/** The kind the law in force on the row's first day names: see allowanceBaseKindOn. */
const IsKindInForceOnEffectiveFrom = () =>
  ValidateBy({
    name: 'isKindInForceOnEffectiveFrom',
    validator: {
      validate: (kind, args) => {
        const from = (args?.object as { effectiveFrom?: unknown }).effectiveFrom;
        return typeof from !== 'string' || kind === allowanceBaseKindOn(from);
      },
      defaultMessage: () => KIND_RULE,
    },
  });

/** A row to add: it takes effect on the 1st of a month, as the law's "in the month" reads. */
export class ReferenceLevelDto {
  @IsCalendarDate()
  @Matches(/^\d{4}-\d{2}-01$/, { message: 'effectiveFrom must be the first day of a month' })
  effectiveFrom: string;

  // Last to first: the schema takes IsVndAmount's bounds, then Min's, then IsInt's type.
  @IsInt()
  @Min(1)
  @IsVndAmount()
  amountVnd: number;

  @IsIn(ALLOWANCE_BASE_KINDS)
  @IsKindInForceOnEffectiveFrom()
  kind: AllowanceBaseKind;

  /** The legal text that sets the amount, e.g. "Nghị định 73/2024/NĐ-CP". */
  @IsNfcText(3, 500)
  source: string;
}

/**
 * The table of what the funeral allowance is based on. Anyone may read it (the amounts are
 * public law); only the insurance administrator may add a row, and never one that would change
 * the amount of an allowance already granted.
 */
@Controller('reference-levels')
export class ReferenceLevelsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  async list(): Promise<{ items: ReferenceLevel[] }> {
    const items = await this.dataSource
      .getRepository(ReferenceLevel)
      .find({ order: { effectiveFrom: 'ASC' } });
    return { items };
  }

  /** Every change to the table, oldest first: who (the key's label), when, what. */
  @Get('changes')
  async changes(): Promise<{ items: ReferenceLevelChange[] }> {
    const items = await this.dataSource
      .getRepository(ReferenceLevelChange)
      .find({ order: { id: 'ASC' } });
    return { items };
  }

  @Post()
  @UseGuards(InsuranceAdminGuard)
  @ApiSecurity('api-key')
  add(@Body() dto: ReferenceLevelDto, @Req() req: RequestWithAdmin): Promise<ReferenceLevel> {
    return this.dataSource.transaction(async (m) => {
      // The death consumer reads this table (ACCESS SHARE) in the transaction that grants the
      // allowance. Taking it exclusively waits for every such transaction to commit, so the
      // latest date of death read next includes them, and holds off the next ones until this
      // row is in: no death can be granted on the old amount once the new one is accepted.
      await m.query('LOCK TABLE reference_levels IN ACCESS EXCLUSIVE MODE');
      if (await m.existsBy(ReferenceLevel, { effectiveFrom: dto.effectiveFrom }))
        throw new ApiError(
          HttpStatus.CONFLICT,
          'INSURANCE.REFERENCE_LEVEL_EXISTS',
          `A row takes effect on ${dto.effectiveFrom} already; rows are never changed, only added.`,
        );
      const [{ latest }] = await m.query<{ latest: string | null }[]>(
        `SELECT to_char(max(date_of_death), 'YYYY-MM-DD') AS latest FROM funeral_allowances`,
      );
      if (latest !== null && dto.effectiveFrom <= latest)
        throw new ApiError(
          HttpStatus.CONFLICT,
          'INSURANCE.REFERENCE_LEVEL_IN_USE',
          `A funeral allowance was granted for a death on ${latest}: a row must take effect after it, ` +
            'or it would change what was paid.',
        );
      const row: ReferenceLevel = { ...dto };
      await m.insert(ReferenceLevel, row);
      await m.insert(ReferenceLevelChange, {
        actor: req.adminLabel ?? 'unknown',
        action: 'reference-level.added',
        effectiveFrom: dto.effectiveFrom,
        details: { amountVnd: dto.amountVnd, kind: dto.kind, source: dto.source },
        correlationId: req.correlationId,
      });
      return row;
    });
  }
}
