import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@lgsp/platform';
import { readFileSync } from 'node:fs';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueService, MemberSystem, Subscription } from './catalogue/catalogue.entities';
import {
  Catalogue,
  CATALOGUE_FILE,
  type CatalogueFile,
  DEFAULT_CATALOGUE,
} from './catalogue/catalogue.service';
import { ExchangeLogConsumer } from './exchange-log/exchange-log.consumer';
import { ExchangeTransaction, LogEntry } from './exchange-log/exchange-log.entities';
import { RecordExchangeUseCase } from './exchange-log/record-exchange.use-case';
import { SuccessRateQuery } from './exchange-log/success-rate.query';
import { TransactionsController } from './exchange-log/transactions.controller';
import { HubConfig } from './hub.config';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';

@Module({
  controllers: [CatalogueController, TransactionsController, ExchangeLogConsumer],
  providers: [Catalogue, RecordExchangeUseCase, SuccessRateQuery],
})
class HubModule {}

function catalogueFile(config: HubConfig): CatalogueFile {
  if (!config.CATALOGUE_FILE) return DEFAULT_CATALOGUE;
  return JSON.parse(readFileSync(config.CATALOGUE_FILE, 'utf8')) as CatalogueFile;
}

export const hubService: ServiceDefinition<HubConfig> = {
  name: 'hub',
  system: 'hub',
  configClass: HubConfig,
  defaults: { PORT: '3000', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lgsp_hub' },
  database: {
    entities: [MemberSystem, CatalogueService, Subscription, LogEntry, ExchangeTransaction],
    migrations: [InitialSchema1763769600000],
  },
  modules: (config) => [
    {
      module: HubModule,
      providers: [{ provide: CATALOGUE_FILE, useValue: catalogueFile(config) }],
    },
  ],
};
