export * from './civil-status.definition';
