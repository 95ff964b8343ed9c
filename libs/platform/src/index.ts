export * from './config';
export * from './http-errors';
export * from './bootstrap';
export * from './pagination';
export * from './openapi';
