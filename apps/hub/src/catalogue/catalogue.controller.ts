import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CatalogueService, MemberSystem, Subscription } from './catalogue.entities';

@Controller('catalogue')
export class CatalogueController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get('systems')
  @ApiOkResponse({ description: 'Every member system.', type: [MemberSystem] })
  systems(): Promise<MemberSystem[]> {
    return this.dataSource.getRepository(MemberSystem).find({ order: { code: 'ASC' } });
  }

  @Get('services')
  @ApiOkResponse({ description: 'Every service, one event type each.', type: [CatalogueService] })
  services(): Promise<CatalogueService[]> {
    return this.dataSource.getRepository(CatalogueService).find({ order: { code: 'ASC' } });
  }

  @Get('subscriptions')
  @ApiOkResponse({
    description: 'Who receives what, for what purpose, on what legal basis.',
    type: [Subscription],
  })
  subscriptions(): Promise<Subscription[]> {
    return this.dataSource
      .getRepository(Subscription)
      .find({ order: { service: 'ASC', consumer: 'ASC' } });
  }
}
