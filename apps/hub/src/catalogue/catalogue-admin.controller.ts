import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { findEventType } from '@lgsp/contracts';
import { definedFilters } from '@lgsp/persistence';
import { ApiError } from '@lgsp/platform';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource, type EntityManager } from 'typeorm';
import { type RequestWithPrincipal, Roles } from '../access/access.guard';
import { changeAction, recordAdminAction } from '../admin-actions/admin-actions';
import { CatalogueService, MemberSystem, Subscription } from './catalogue.entities';
import { Catalogue } from './catalogue.service';
import { KafkaAccess } from './kafka-access';
import {
  CreateSystemDto,
  PutServiceDto,
  PutSubscriptionDto,
  UpdateSubscriptionDto,
  UpdateSystemDto,
} from './catalogue-admin.dto';

/**
 * Changes to the catalogue; they take effect at once, without a restart. The broker's ACLs
 * follow each change before the answer (header `Lgsp-Kafka-Acls`), or the header names the
 * command to run. Each change is recorded as an administrator action (who, when, the entry
 * before and after) in the same database transaction.
 */
@Controller('catalogue')
@Roles('ADMIN')
export class CatalogueAdminController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Catalogue) private readonly catalogue: Catalogue,
    @Inject(KafkaAccess) private readonly kafkaAccess: KafkaAccess,
  ) {}

  @Post('systems')
  @ApiCreatedResponse({ description: 'The new system.', type: MemberSystem })
  createSystem(
    @Body() dto: CreateSystemDto,
    @Req() req: RequestWithPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MemberSystem> {
    return this.change(req, res, async (tx) => {
      const repo = tx.getRepository(MemberSystem);
      if (await repo.existsBy({ code: dto.code })) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          'CATALOGUE.SYSTEM_EXISTS',
          `System ${dto.code} exists already.`,
        );
      }
      await repo.insert(dto);
      const after = await repo.findOneByOrFail({ code: dto.code });
      return { result: after, target: dto.code, kind: 'catalogue.system', before: null, after };
    });
  }

  @Patch('systems/:code')
  @ApiOkResponse({ description: 'The system as it is now.', type: MemberSystem })
  updateSystem(
    @Param('code') code: string,
    @Body() dto: UpdateSystemDto,
    @Req() req: RequestWithPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MemberSystem> {
    return this.change(req, res, async (tx) => {
      const repo = tx.getRepository(MemberSystem);
      const before = await repo.findOneBy({ code });
      if (!before)
        throw new ApiError(
          HttpStatus.NOT_FOUND,
          'CATALOGUE.SYSTEM_NOT_FOUND',
          `No system ${code}.`,
        );
      await repo.update({ code }, dto);
      const after = await repo.findOneByOrFail({ code });
      return { result: after, target: code, kind: 'catalogue.system', before, after };
    });
  }

  @Put('services/:code')
  @ApiOkResponse({ description: 'The service as it is now.', type: CatalogueService })
  putService(
    @Param('code') code: string,
    @Body() dto: PutServiceDto,
    @Req() req: RequestWithPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CatalogueService> {
    const def = findEventType(dto.eventType);
    if (!def)
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'CONTRACT.UNKNOWN_EVENT_TYPE',
        `Unknown event type ${dto.eventType}.`,
      );
    if (def.provider !== '*' && def.provider !== dto.provider) {
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'CATALOGUE.PROVIDER_NOT_IN_CONTRACT',
        `The contract of ${dto.eventType} names ${def.provider} as its provider.`,
      );
    }
    return this.change(req, res, async (tx) => {
      await requireSystem(tx, dto.provider);
      const repo = tx.getRepository(CatalogueService);
      const before = await repo.findOneBy({ code });
      await repo.upsert({ code, ...dto }, ['code']);
      const after = await repo.findOneByOrFail({ code });
      return { result: after, target: code, kind: 'catalogue.service', before, after };
    });
  }

  @Put('subscriptions/:consumer/:service')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'The subscription as it is now.', type: Subscription })
  putSubscription(
    @Param('consumer') consumer: string,
    @Param('service') service: string,
    @Body() dto: PutSubscriptionDto,
    @Req() req: RequestWithPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Subscription> {
    return this.change(req, res, async (tx) => {
      await requireSystem(tx, consumer);
      if (!(await tx.getRepository(CatalogueService).existsBy({ code: service }))) {
        throw new ApiError(
          HttpStatus.NOT_FOUND,
          'CATALOGUE.SERVICE_NOT_FOUND',
          `No service ${service}.`,
        );
      }
      const repo = tx.getRepository(Subscription);
      const before = await repo.findOneBy({ consumer, service });
      const row = { consumer, service, ...dto, legalBasis: dto.legalBasis ?? null };
      await repo.upsert(row, ['consumer', 'service']);
      const after = await repo.findOneByOrFail({ consumer, service });
      const target = `${consumer}/${service}`;
      return { result: after, target, kind: 'catalogue.subscription', before, after };
    });
  }

  /** Sets the purpose, the legal basis or the status of a subscription that exists. */
  @Patch('subscriptions/:consumer/:service')
  @ApiOkResponse({ description: 'The subscription as it is now.', type: Subscription })
  updateSubscription(
    @Param('consumer') consumer: string,
    @Param('service') service: string,
    @Body() dto: UpdateSubscriptionDto,
    @Req() req: RequestWithPrincipal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Subscription> {
    return this.change(req, res, async (tx) => {
      const repo = tx.getRepository(Subscription);
      const before = await repo.findOneBy({ consumer, service });
      if (!before)
        throw new ApiError(
          HttpStatus.NOT_FOUND,
          'CATALOGUE.SUBSCRIPTION_NOT_FOUND',
          `${consumer} has no subscription to ${service}.`,
        );
      const changes = definedFilters({ ...dto });
      if (Object.keys(changes).length > 0) await repo.update({ consumer, service }, changes);
      const after = await repo.findOneByOrFail({ consumer, service });
      const target = `${consumer}/${service}`;
      return { result: after, target, kind: 'catalogue.subscription', before, after };
    });
  }

  /**
   * One catalogue change and its record as an administrator action, in one transaction;
   * once it has committed, the cached catalogue is dropped and the broker's ACLs follow.
   */
  private async change<T extends object>(
    req: RequestWithPrincipal,
    res: Response,
    apply: (tx: EntityManager) => Promise<{
      result: T;
      target: string;
      kind: string;
      before: object | null;
      after: T;
    }>,
  ): Promise<T> {
    const result = await this.dataSource.transaction(async (tx) => {
      const c = await apply(tx);
      await recordAdminAction(tx, req, {
        action: changeAction(c.kind, c.before, c.after),
        target: c.target,
        details: { before: c.before, after: c.after },
      });
      return c.result;
    });
    this.catalogue.invalidate();
    const acls = await this.kafkaAccess.sync('change');
    res.setHeader('lgsp-kafka-acls', acls.applied ? 'applied' : `not applied; run ${acls.command}`);
    return result;
  }
}

async function requireSystem(tx: EntityManager, code: string): Promise<void> {
  if (!(await tx.getRepository(MemberSystem).existsBy({ code }))) {
    throw new ApiError(HttpStatus.NOT_FOUND, 'CATALOGUE.SYSTEM_NOT_FOUND', `No system ${code}.`);
  }
}
