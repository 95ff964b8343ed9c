import { HealthController } from '@lgsp/observability';
import { plainToInstance } from 'class-transformer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from './kustomize-lite';

/** The fields of the resources deploy/k8s/k8s.spec.ts reads, and what the services read and serve. */

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
export interface Container {
  image: string;
  args: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  startupProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  livenessProbe?: { httpGet?: { path: string; port: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
}
export interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
}
export interface Workload extends Resource {
  spec: {
    replicas?: number;
    selector?: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}
export type Spec = Record<string, unknown>;
export const specOf = (r: Resource) => r.spec as Spec;

/** Names the services read: every exposed setting, and `<NAME>_FILE` for each secret setting. */
export function settingsRead(cls: new () => object): Set<string> {
  const names = Object.keys(plainToInstance(cls, {}, { excludeExtraneousValues: true }));
  const source = readFileSync(join(__dirname, '../../libs/platform/src/config.ts'), 'utf8');
  const list = /const SECRET_FILE_SETTINGS = \[([^\]]*)\]/.exec(source)![1];
  const fileSettings = [...list.matchAll(/'([A-Z_]+)'/g)].map((m) => `${m[1]}_FILE`);
  return new Set([...names, ...fileSettings.filter((f) => names.includes(f.slice(0, -5)))]);
}
/** The GET routes of every service's health controller (`/health`, `/health/live`, …). */
export function healthRoutes(): string[] {
  const base = Reflect.getMetadata('path', HealthController) as string;
  const proto = HealthController.prototype as unknown as Record<string, object>;
  return Object.getOwnPropertyNames(proto)
    .filter((m) => m !== 'constructor')
    .map((m) => Reflect.getMetadata('path', proto[m]) as string | undefined)
    .filter((p): p is string => p !== undefined)
    .map((p) => `/${[base, p].filter((x) => x && x !== '/').join('/')}`);
}
