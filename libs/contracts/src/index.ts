// Payload classes use decorator metadata (class-transformer's @Type).
import 'reflect-metadata';

export * from './domain/personal-id';
export * from './domain/provinces';
export * from './domain/bhyt-card';
export * from './domain/land';
export * from './validation/domain-validators';
export * from './systems';
export * from './events/person';
export * from './events/identity-verification';
export * from './events/birth-registered.event';
export * from './events/death-registered.event';
export * from './events/citizen-registered.event';
export * from './events/citizen-deceased.event';
export * from './events/identity-verified.event';
export * from './events/card-link-verified.event';
export * from './events/ownership-registered.event';
export * from './events/card-issued.event';
export * from './events/card-terminated.event';
export * from './events/funeral-allowance-granted.event';
export * from './events/card-link-requested.event';
export * from './events/receipt.event';
export * from './events/rejection.event';
export * from './events/replay-requested.event';
export * from './event-types';
export * from './json-schema';
export * from './examples';
export * from './validation/validate-payload';
