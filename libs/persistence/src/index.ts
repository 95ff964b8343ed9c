export * from './snake-naming.strategy';
export * from './database';
export * from './persistence.module';
export * from './vacuum-upkeep';
export * from './bounded-data-source';
export * from './leader-lease';
export * from './append-only';
