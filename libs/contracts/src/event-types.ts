import { BirthRegisteredV1 } from './events/birth-registered.event';
import { CitizenRegisteredV1 } from './events/citizen-registered.event';
import { ReceiptV1 } from './events/receipt.event';
import type { Sector } from './systems';

type PayloadClass<T> = new () => T;

/** One row of the event-type table: everything else (topic, ce_type, key) is derived from it. */
export interface EventTypeDef<T extends object = object> {
  sector: Sector;
  name: string;
  major: number;
  /** The system the catalogue grants this type to by default. */
  provider: string;
  payload: PayloadClass<T>;
  /**
   * The natural identifier of the subject the event is about. It never leaves the
   * producer in clear: it is turned into the pseudonymous subject key (the Kafka key).
   */
  subjectOf(payload: T): string;
}

/** Infers the payload type of a row so that `subjectOf` is checked against it. */
function define<T extends object>(def: EventTypeDef<T>): EventTypeDef {
  return def;
}

/** The single table of event types. */
export const EVENT_TYPES: readonly EventTypeDef[] = [
  define({
    sector: 'civil-status',
    name: 'birth-registered',
    major: 1,
    provider: 'civil-status',
    payload: BirthRegisteredV1,
    subjectOf: (p) => `birth:${p.registrationId}`,
  }),
  define({
    sector: 'population',
    name: 'citizen-registered',
    major: 1,
    provider: 'population',
    payload: CitizenRegisteredV1,
    subjectOf: (p) => p.personalId,
  }),
  define({
    sector: 'hub',
    name: 'receipt',
    major: 1,
    provider: '*',
    payload: ReceiptV1,
    subjectOf: (p) => `event:${p.eventId}`,
  }),
];

/** `<sector>.<name>.v<major>`: the key used in code, in the catalogue and as the handler pattern. */
export function eventTypeKey(def: EventTypeDef): string {
  return `${def.sector}.${def.name}.v${def.major}`;
}

/** CloudEvents `type`: `vn.lgsp.<sector>.<name>.v<major>`. */
export function ceTypeOf(def: EventTypeDef): string {
  return `vn.lgsp.${eventTypeKey(def)}`;
}

/** Kafka topic: `<prefix>lgsp.<sector>.<name>.v<major>`; the prefix isolates environments and test runs. */
export function topicOf(def: EventTypeDef, prefix = ''): string {
  return `${prefix}lgsp.${eventTypeKey(def)}`;
}

const byKey = new Map(EVENT_TYPES.map((d) => [eventTypeKey(d), d]));
const byCeType = new Map(EVENT_TYPES.map((d) => [ceTypeOf(d), d]));

export function eventType(key: string): EventTypeDef {
  const def = byKey.get(key);
  if (!def) throw new Error(`unknown event type ${key}`);
  return def;
}

export function findEventTypeByCeType(ceType: string): EventTypeDef | undefined {
  return byCeType.get(ceType);
}

export const RECEIPT = eventType('hub.receipt.v1');
