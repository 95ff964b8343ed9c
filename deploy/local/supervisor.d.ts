// Types of supervisor.js (plain CommonJS: `npm start` runs it before anything is installed).

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  healthyResetMs: number;
  maxRestarts: number;
  windowMs: number;
}

export type RestartDecision =
  { restart: true; delayMs: number; count: number } | { restart: false; count: number };

export interface RestartTracker {
  healthy(now: number): void;
  exited(now: number): RestartDecision;
}

export interface Replica<A extends { name: string }> {
  app: A;
  index: number;
  name: string;
  port: number;
  logFile: string;
}

export const RESTART_POLICY: Readonly<RestartPolicy>;
export const REPLICA_PORT_STEP: number;
export const MAX_REPLICAS: number;
export function restartTracker(policy?: RestartPolicy): RestartTracker;
export function restartDelay(n: number, policy?: RestartPolicy): number;
export function parseReplicas(
  argv: string[],
  envValue: string | undefined,
  names: string[],
): Record<string, number>;
export function replicaOf<A extends { name: string }>(app: A, port: number, i: number): Replica<A>;
