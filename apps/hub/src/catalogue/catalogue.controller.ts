import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueService, MemberSystem, Subscription } from './catalogue.entities';

@Controller('catalogue')
export class CatalogueController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get('systems')
  systems(): Promise<MemberSystem[]> {
    return this.dataSource.getRepository(MemberSystem).find({ order: { code: 'ASC' } });
  }

  @Get('services')
  services(): Promise<CatalogueService[]> {
    return this.dataSource.getRepository(CatalogueService).find({ order: { code: 'ASC' } });
  }

  @Get('subscriptions')
  subscriptions(): Promise<Subscription[]> {
    return this.dataSource
      .getRepository(Subscription)
      .find({ order: { service: 'ASC', consumer: 'ASC' } });
  }
}
