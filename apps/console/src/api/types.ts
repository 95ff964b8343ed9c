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

export const totalOf = (c: Counts): number =>
  c.SUCCESS + c.FAILED + c.TIMED_OUT + c.REJECTED + c.PENDING;

/**
 * Answers of the hub whose shapes its OpenAPI document does not describe yet (it lists their
 * paths and parameters, which the console's calls are checked against).
 */
export interface Transaction {
  eventId: string;
  consumer: string;
  eventType: string | null;
  serviceCode: string | null;
  provider: string | null;
  status: string;
  errorCode: string | null;
  reason: string | null;
  attempts: number | null;
  correlationId: string | null;
  publishedAt: string | null;
  completedAt: string | null;
  latencyMs: number | null;
  late: boolean;
  replayRequestedAt: string | null;
}

export interface Delivery {
  consumer: string;
  status: string;
  errorCode: string | null;
  reason: string | null;
  latencyMs: number | null;
  completedAt: string | null;
  late: boolean;
}

export interface Case {
  correlationId: string;
  status: string;
  startedAt: string;
  lastActivityAt: string;
  durationMs: number;
  stoppedAt?: {
    eventId: string;
    consumer: string;
    status: string;
    errorCode: string | null;
    reason: string | null;
  };
  steps: {
    eventId: string;
    eventType: string | null;
    service: string | null;
    provider: string | null;
    at: string;
    rejected?: { errorCode: string | null; reason: string | null };
    deliveries: Delivery[];
  }[];
}

export interface StuckCase {
  correlationId: string;
  lastActivityAt: string;
  waitingDeliveries: number;
}

export interface DeadLetterGroup {
  consumer: string;
  service: string | null;
  status: string;
  errorCode: string | null;
  count: number;
}

export interface LogEntry {
  id: string;
  kind: string;
  event_id: string;
  event_type: string | null;
  service_code: string | null;
  provider: string | null;
  consumer: string | null;
  status: string | null;
  error_code: string | null;
  correlation_id: string | null;
  occurred_at: string;
}

export interface VerifyResult {
  ok: boolean;
  checkedSeals: number;
  checkedEntries: number;
  uncheckedEntries: number;
  firstProblem?: { kind: string; entryId?: string; sealSequence: number | null };
}

export interface AuditQuery {
  id: string;
  credentialId: string;
  role: string;
  action: string;
  filter: Record<string, unknown>;
  rowCount: number | null;
  at: string;
}

export interface Credential {
  id: string;
  role: string;
  systemCode: string | null;
  label: string;
  createdAt: string;
  revokedAt: string | null;
  expiresAt: string | null;
}
