import { Partitioners, type KafkaMessage, type Message } from 'kafkajs';
import { eventually } from './eventually';
import { testKafka } from './kafka-access';

/** The test's own client: the administrator on a closed broker, reading and writing anything. */
const kafka = () => testKafka();

/** Reads a topic from the beginning until `enough` holds for what was read (or the deadline). */
export async function readTopic(
  topic: string,
  enough: (messages: KafkaMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<KafkaMessage[]> {
  const consumer = kafka().consumer({ groupId: `${topic}.inspect.${Date.now()}.${Math.random()}` });
  const read: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        read.push(message);
        return Promise.resolve();
      },
    });
    return await eventually(() => Promise.resolve(enough(read) ? read : undefined), {
      timeoutMs,
      what: `messages on ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Produces raw records, as any Kafka client could, well-formed or not. */
export async function produceRaw(topic: string, messages: Message[]): Promise<void> {
  const producer = kafka().producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    await producer.send({ topic, messages, acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

export function header(m: KafkaMessage, name: string): string | undefined {
  return m.headers?.[name]?.toString();
}
