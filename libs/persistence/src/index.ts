export * from './snake-naming.strategy';
export * from './database';
export * from './persistence.module';
export * from './vacuum-upkeep';
