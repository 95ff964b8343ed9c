import { type CitizenRegisteredV1, VALID_EXAMPLES } from '@lgsp/contracts';
import { type InboundMessage, OutboxWriter } from '@lgsp/messaging';
import type { Message } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { http } from './http';
import { produceRaw } from './kafka';
import { TEST_ADMIN_KEY } from './run-environment';
import type { TestStack } from './stack';

/** A well-formed record of `type`, as `system` would publish it, ready for produceRaw. */
export function eventRecord(
  stack: TestStack,
  system: string,
  type: string,
  data: object,
  correlationId: string = randomUUID(),
): { topic: string; message: Message; eventId: string } {
  const [any] = stack.services();
  const writer = new OutboxWriter({
    system,
    provinceCode: any.config.PROVINCE_CODE,
    topicPrefix: any.config.KAFKA_TOPIC_PREFIX,
    subjectHashKey: any.config.SUBJECT_HASH_KEY,
  });
  const { envelope, message } = writer.build({ type, data, correlationId });
  return {
    topic: message.topic,
    message: { key: message.key, value: message.payload, headers: message.headers },
    eventId: envelope.id,
  };
}

/**
 * Hands records to a consumer's code directly, as its transport would after reading them:
 * each gets the next offset of partition 0 from the returned function's own counter.
 */
export function asInbound(): (r: ReturnType<typeof eventRecord>) => InboundMessage {
  let offset = 0;
  return (r) => ({
    topic: r.topic,
    partition: 0,
    offset: String(offset++),
    key: r.message.key as string,
    headers: r.message.headers as Record<string, string>,
    value: r.message.value as Buffer,
    timestamp: String(Date.now()),
  });
}

/** Issues a credential through the hub's admin API and returns the key. */
export async function issueKey(hubUrl: string, role: string, system?: string): Promise<string> {
  const res = await http<{ apiKey: string }>(
    'POST',
    `${hubUrl}/credentials`,
    { role, system },
    { 'x-api-key': TEST_ADMIN_KEY },
  );
  if (res.status !== 201)
    throw new Error(`could not issue a ${role} key: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.apiKey;
}

/**
 * One `population.citizen-registered.v1` record about each ID number, produced straight to
 * Kafka as the population system would: the hub logs each as one PUBLISHED entry.
 */
export async function produceCitizensRegistered(
  stack: TestStack,
  personalIds: readonly string[],
): Promise<void> {
  const records = personalIds.map((personalId) => {
    const data: CitizenRegisteredV1 = {
      ...(VALID_EXAMPLES['population.citizen-registered.v1'] as CitizenRegisteredV1),
      personalId,
      birthRegistrationId: randomUUID(),
    };
    return eventRecord(stack, 'population', 'population.citizen-registered.v1', data);
  });
  await produceRaw(
    records[0].topic,
    records.map((r) => r.message),
  );
}
