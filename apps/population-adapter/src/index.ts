export * from './population.definition';
