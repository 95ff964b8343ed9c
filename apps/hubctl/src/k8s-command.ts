import { join } from 'node:path';
import { DEFAULT_TOPIC_SETTINGS, generateKubernetes, wholeSetting, writeGenerated } from './k8s';
import { loadCatalogue } from './kafka';

export interface K8sArgs {
  out?: string;
  catalogue?: string;
  cluster?: string;
  partitions?: string;
  replicas?: string;
  'retention-hours'?: string;
}

interface Context {
  root: string;
  env: NodeJS.ProcessEnv;
  out(s: string): void;
  say(s: string): void;
}

/**
 * `hubctl k8s generate`: the Strimzi `KafkaTopic` and `KafkaUser` resources of the catalogue
 * (the hub's database, --catalogue FILE, or the demo catalogue) into deploy/k8s/base/generated
 * or --out DIR.
 */
export async function k8sCommand(sub: string | undefined, v: K8sArgs, c: Context): Promise<void> {
  if (sub !== 'generate') throw new Error(`unknown command k8s ${sub ?? ''} (generate)`);
  const catalogue = await loadCatalogue(v, c);
  const files = generateKubernetes(catalogue, {
    cluster: v.cluster ?? 'lgsp',
    topicPrefix: c.env.KAFKA_TOPIC_PREFIX ?? '',
    partitions: wholeSetting(
      '--partitions (or KAFKA_TOPIC_PARTITIONS)',
      v.partitions ?? c.env.KAFKA_TOPIC_PARTITIONS,
      DEFAULT_TOPIC_SETTINGS.partitions,
    ),
    replicas: wholeSetting('--replicas', v.replicas, DEFAULT_TOPIC_SETTINGS.replicas),
    retentionHours: wholeSetting(
      '--retention-hours',
      v['retention-hours'],
      DEFAULT_TOPIC_SETTINGS.retentionHours,
    ),
  });
  const written = writeGenerated(v.out ?? join(c.root, 'deploy/k8s/base/generated'), files);
  c.out(JSON.stringify({ written }, null, 2));
}
