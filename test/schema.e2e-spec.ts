import { civilStatusService } from '@apps/civil-status';
import { hubService } from '@apps/hub';
import { insuranceService } from '@apps/insurance';
import { landService } from '@apps/land';
import { populationService } from '@apps/population-adapter';
import { dataSourceOptions } from '@lgsp/persistence';
import {
  fullDatabase,
  migrateService,
  serviceConfig,
  type ServiceDefinition,
} from '@lgsp/platform';
import { serviceTestEnv } from '@lgsp/testing';
import { DataSource } from 'typeorm';

const services = [
  civilStatusService,
  populationService,
  landService,
  insuranceService,
  hubService,
] as ServiceDefinition[];

describe.each(services.map((s) => [s.name, s] as const))('%s database', (_name, def) => {
  const env = serviceTestEnv(def.name, {}, '_schema');

  it('is created by its migrations, twice without harm', async () => {
    const first = await migrateService(def, env);
    expect(first.length).toBeGreaterThan(0);
    expect(await migrateService(def, env)).toEqual([]);
  });

  it('has exactly the schema its entities describe', async () => {
    const ds = new DataSource(
      dataSourceOptions(serviceConfig(def, env).DATABASE_URL, fullDatabase(def)),
    );
    await ds.initialize();
    try {
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
