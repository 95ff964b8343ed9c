/**
 * Names on the broker that belong to a member system. The topic prefix isolates an
 * environment (or a test run) on a shared cluster: its topics, its consumer groups and its
 * principals all carry it.
 */

/** The system's dead-letter topic: `<prefix>lgsp.<system>.dlq.v1`. */
export function deadLetterTopicOf(system: string, prefix = ''): string {
  return `${prefix}lgsp.${system}.dlq.v1`;
}

/** The system's consumer group: `<prefix>lgsp.<system>`. */
export function consumerGroupOf(system: string, prefix = ''): string {
  return `${prefix}lgsp.${system}`;
}

/** The SASL user name a member system connects as: `<prefix><system>`. */
export function principalOf(system: string, prefix = ''): string {
  return `${prefix}${system}`;
}

/**
 * The broker's own principal and the administration principal: the only super users of a
 * closed broker. Neither is a valid system code (`_`), so no member system can be named so.
 */
export const BROKER_PRINCIPAL = 'lgsp_broker';
export const ADMIN_PRINCIPAL = 'lgsp_admin';
