import { ServiceConfig, type ServiceDefinition } from '@lgsp/platform';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';
import { DeadLetters1763942400000 } from './migrations/1763942400000-dead-letters';

export const landService: ServiceDefinition = {
  name: 'land',
  system: 'land',
  configClass: ServiceConfig,
  defaults: { PORT: '3002', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lgsp_land' },
  database: { entities: [], migrations: [InitialSchema1763769600000, DeadLetters1763942400000] },
  modules: () => [],
};
