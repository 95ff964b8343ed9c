export * from './insurance.definition';
