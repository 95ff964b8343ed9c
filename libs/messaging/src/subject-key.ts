import { createHmac, createSecretKey } from 'node:crypto';

/**
 * The pseudonymous subject key: HMAC-SHA256 of the subject's natural identifier
 * (a personal ID number, a registration id) under the province's key. It is the
 * Kafka key, so all events about one subject stay ordered in one partition, and it
 * is what the hub stores and what an auditor's search by ID number is hashed into.
 */
export function subjectKey(secret: string, subject: string): string {
  return createHmac('sha256', secret).update(subject, 'utf8').digest('hex');
}

/**
 * `subjectKey` with the secret turned into a key object once, for code that hashes every
 * record it reads (the hub): the same hashes, without preparing the key each time.
 */
export function subjectKeyOf(secret: string): (subject: string) => string {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return (subject) => createHmac('sha256', key).update(subject, 'utf8').digest('hex');
}
