export * from './population.definition';
export { PopulationConfig } from './population.config';
export * from './registry/population-registry';
export {
  HttpPopulationRegistry,
  type HttpRegistrySettings,
} from './registry/http-population-registry';
export { PostgresPopulationRegistry } from './registry/postgres-population-registry';
