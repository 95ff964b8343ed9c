import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@lgsp/platform';
import { CardLinksController } from './cards/card-links';
import { ChildCardCorrection } from './cards/child-card-correction';
import { InsuranceRecordsController } from './cards/cards.controller';
import { IssueChildCardConsumer } from './cards/issue-child-card.consumer';
import { CloseOnDeathConsumer } from './deaths/close-on-death.consumer';
import { INSURANCE_CONFIG, InsuranceConfig } from './insurance.config';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';
import { DeadLetters1763942400000 } from './migrations/1763942400000-dead-letters';
import { InsuranceRecords1764115200000 } from './migrations/1764115200000-insurance-records';
import { CardsToLinkIndex1764201600000 } from './migrations/1764201600000-cards-to-link-index';
import { ReferenceLevels1765152000000 } from './migrations/1765152000000-reference-levels';
import { INSURANCE_ENTITIES } from './participants/insurance.entities';
import { InsuranceAdminGuard } from './reference-levels/insurance-admin.guard';
import { ReferenceLevelsController } from './reference-levels/reference-levels.controller';

@Module({
  // CardLinksController first: its /cards/link-summary must not be taken for a card number.
  controllers: [
    CardLinksController,
    InsuranceRecordsController,
    ReferenceLevelsController,
    IssueChildCardConsumer,
    CloseOnDeathConsumer,
  ],
  providers: [ChildCardCorrection, InsuranceAdminGuard],
})
class InsuranceModule {}

export const insuranceService: ServiceDefinition<InsuranceConfig> = {
  name: 'insurance',
  system: 'insurance',
  configClass: InsuranceConfig,
  defaults: { PORT: '3003', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lgsp_insurance' },
  database: {
    entities: INSURANCE_ENTITIES,
    migrations: [
      InitialSchema1763769600000,
      DeadLetters1763942400000,
      InsuranceRecords1764115200000,
      CardsToLinkIndex1764201600000,
      ReferenceLevels1765152000000,
    ],
  },
  modules: (config) => [
    {
      module: InsuranceModule,
      providers: [{ provide: INSURANCE_CONFIG, useValue: config }],
      exports: [INSURANCE_CONFIG],
    },
  ],
};
