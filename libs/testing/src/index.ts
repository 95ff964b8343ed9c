export * from './infrastructure';
export * from './run-environment';
export * from './eventually';
export * from './synthetic';
export * from './http';
export * from './stack';
export * from './kafka';
