import type { components } from './hub-schema';

type Schemas = components['schemas'];

/** Answers the hub's OpenAPI document describes: their types are generated from it. */
export type Counts = Schemas['StatCounts'];
export type Stat = Schemas['Stat'];
export type StatPoint = Schemas['StatPoint'];
export type StatsAnswer = Schemas['StatsAnswer'];
export type ConsumerLagAnswer = Schemas['ConsumerLagAnswer'];
export type GroupLag = Schemas['GroupLag'];
export type MemberSystem = Schemas['MemberSystem'];
export type CatalogueService = Schemas['CatalogueService'];
export type Subscription = Schemas['Subscription'];
export type Transaction = Schemas['Transaction'];
export type Case = Schemas['Case'];
export type Delivery = Schemas['CaseDelivery'];
export type StuckCase = Schemas['StuckCase'];
export type DeadLetterGroup = Schemas['DeadLetterGroup'];
export type ReplayAnswer = Schemas['ReplayAnswer'];
export type LogEntry = Schemas['AuditEntry'];
export type AuditLogPage = Schemas['AuditLogPage'];
export type VerifyResult = Schemas['LogVerificationAnswer'];
export type AuditQuery = Schemas['AuditQueryRecord'];
export type Credential = Schemas['CredentialRecord'];
export type IssuedCredential = Schemas['IssuedCredential'];

export const totalOf = (c: Counts): number =>
  c.SUCCESS + c.FAILED + c.TIMED_OUT + c.REJECTED + c.PENDING;
