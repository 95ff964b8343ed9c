export * from './land.definition';
