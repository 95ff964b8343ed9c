import { Module } from '@nestjs/common';
import { ServiceConfig, type ServiceDefinition } from '@lgsp/platform';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';
import { DeadLetters1763942400000 } from './migrations/1763942400000-dead-letters';
import { ParcelsAndOwners1764115200000 } from './migrations/1764115200000-parcels-and-owners';
import { LAND_ENTITIES } from './parcels/land.entities';
import { ParcelsController } from './parcels/parcels';

@Module({ controllers: [ParcelsController] })
class LandModule {}

export const landService: ServiceDefinition = {
  name: 'land',
  system: 'land',
  configClass: ServiceConfig,
  defaults: { PORT: '3002', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lgsp_land' },
  database: {
    entities: LAND_ENTITIES,
    migrations: [
      InitialSchema1763769600000,
      DeadLetters1763942400000,
      ParcelsAndOwners1764115200000,
    ],
  },
  modules: () => [LandModule],
};
