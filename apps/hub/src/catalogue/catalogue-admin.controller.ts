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
} from '@nestjs/common';
import { findEventType } from '@lgsp/contracts';
import { ApiError } from '@lgsp/platform';
import { DataSource } from 'typeorm';
import { Roles } from '../access/access.guard';
import { CatalogueService, MemberSystem, Subscription } from './catalogue.entities';
import { Catalogue } from './catalogue.service';
import {
  CreateSystemDto,
  PutServiceDto,
  PutSubscriptionDto,
  UpdateSystemDto,
} from './catalogue-admin.dto';

/** Changes to the catalogue; they take effect at once, without a restart. */
@Controller('catalogue')
@Roles('ADMIN')
export class CatalogueAdminController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Catalogue) private readonly catalogue: Catalogue,
  ) {}

  @Post('systems')
  async createSystem(@Body() dto: CreateSystemDto): Promise<MemberSystem> {
    const repo = this.dataSource.getRepository(MemberSystem);
    if (await repo.existsBy({ code: dto.code })) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'CATALOGUE.SYSTEM_EXISTS',
        `System ${dto.code} exists already.`,
      );
    }
    await repo.insert(dto);
    this.catalogue.invalidate();
    return repo.findOneByOrFail({ code: dto.code });
  }

  @Patch('systems/:code')
  async updateSystem(
    @Param('code') code: string,
    @Body() dto: UpdateSystemDto,
  ): Promise<MemberSystem> {
    const repo = this.dataSource.getRepository(MemberSystem);
    const { affected } = await repo.update({ code }, dto);
    if (!affected)
      throw new ApiError(HttpStatus.NOT_FOUND, 'CATALOGUE.SYSTEM_NOT_FOUND', `No system ${code}.`);
    this.catalogue.invalidate();
    return repo.findOneByOrFail({ code });
  }

  @Put('services/:code')
  async putService(
    @Param('code') code: string,
    @Body() dto: PutServiceDto,
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
    await this.requireSystem(dto.provider);
    await this.dataSource.getRepository(CatalogueService).upsert({ code, ...dto }, ['code']);
    this.catalogue.invalidate();
    return this.dataSource.getRepository(CatalogueService).findOneByOrFail({ code });
  }

  @Put('subscriptions/:consumer/:service')
  @HttpCode(HttpStatus.OK)
  async putSubscription(
    @Param('consumer') consumer: string,
    @Param('service') service: string,
    @Body() dto: PutSubscriptionDto,
  ): Promise<Subscription> {
    await this.requireSystem(consumer);
    if (!(await this.dataSource.getRepository(CatalogueService).existsBy({ code: service }))) {
      throw new ApiError(
        HttpStatus.NOT_FOUND,
        'CATALOGUE.SERVICE_NOT_FOUND',
        `No service ${service}.`,
      );
    }
    const repo = this.dataSource.getRepository(Subscription);
    await repo.upsert({ consumer, service, ...dto }, ['consumer', 'service']);
    this.catalogue.invalidate();
    return repo.findOneByOrFail({ consumer, service });
  }

  private async requireSystem(code: string): Promise<void> {
    if (!(await this.dataSource.getRepository(MemberSystem).existsBy({ code }))) {
      throw new ApiError(HttpStatus.NOT_FOUND, 'CATALOGUE.SYSTEM_NOT_FOUND', `No system ${code}.`);
    }
  }
}
