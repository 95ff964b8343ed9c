export * from './hub.definition';
