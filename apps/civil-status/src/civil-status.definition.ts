import type { ServiceDefinition } from '@lgsp/platform';
import { Birth } from './births/birth.entity';
import { Death } from './deaths/death.entity';
import { DeathsModule } from './deaths/deaths';
import { DeathsAndNaturalKeys1764115200000 } from './migrations/1764115200000-deaths-and-natural-keys';
import { BirthsModule } from './births/births.module';
import { CIVIL_STATUS_CONFIG, CivilStatusConfig } from './civil-status.config';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';
import { DeadLetters1763942400000 } from './migrations/1763942400000-dead-letters';

export const civilStatusService: ServiceDefinition<CivilStatusConfig> = {
  name: 'civil-status',
  system: 'civil-status',
  configClass: CivilStatusConfig,
  defaults: { PORT: '3001', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lgsp_civil_status' },
  database: {
    entities: [Birth, Death],
    migrations: [
      InitialSchema1763769600000,
      DeadLetters1763942400000,
      DeathsAndNaturalKeys1764115200000,
    ],
  },
  modules: (config) => [
    {
      module: BirthsModule,
      providers: [{ provide: CIVIL_STATUS_CONFIG, useValue: config }],
      exports: [CIVIL_STATUS_CONFIG],
    },
    DeathsModule,
  ],
};
