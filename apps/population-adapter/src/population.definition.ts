import type { ServiceDefinition } from '@lgsp/platform';
import { Citizen, IdSerial } from './citizens/citizen.entity';
import { CitizensModule } from './citizens/citizens.module';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';
import { DeadLetters1763942400000 } from './migrations/1763942400000-dead-letters';
import { Deaths1764115200000 } from './migrations/1764115200000-deaths';
import { RequestIds1765368000000 } from './migrations/1765368000000-request-ids';
import { PopulationConfig } from './population.config';
import { RegistryModule } from './registry/registry.module';

export const populationService: ServiceDefinition<PopulationConfig> = {
  name: 'population-adapter',
  system: 'population',
  configClass: PopulationConfig,
  defaults: { PORT: '3004', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lgsp_population' },
  database: {
    entities: [Citizen, IdSerial],
    migrations: [
      InitialSchema1763769600000,
      DeadLetters1763942400000,
      Deaths1764115200000,
      RequestIds1765368000000,
    ],
  },
  modules: (config) => [RegistryModule.forConfig(config), CitizensModule],
};
