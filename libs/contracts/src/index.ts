// Payload classes use decorator metadata (class-transformer's @Type).
import 'reflect-metadata';
export * from './domain/personal-id';
export * from './domain/provinces';
export * from './validation/domain-validators';
export * from './systems';
export * from './events/person';
export * from './events/birth-registered.event';
export * from './events/citizen-registered.event';
export * from './events/receipt.event';
export * from './event-types';
