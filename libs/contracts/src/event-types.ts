import { parcelKey } from './domain/land';
import { BirthRegisteredV1 } from './events/birth-registered.event';
import { CardIssuedV1 } from './events/card-issued.event';
import { CardLinkRequestedV1 } from './events/card-link-requested.event';
import { CardLinkVerifiedV1 } from './events/card-link-verified.event';
import { CardTerminatedV1 } from './events/card-terminated.event';
import { CitizenDeceasedV1 } from './events/citizen-deceased.event';
import { CitizenRegisteredV1 } from './events/citizen-registered.event';
import { DeathRegisteredV1 } from './events/death-registered.event';
import { FuneralAllowanceGrantedV1 } from './events/funeral-allowance-granted.event';
import { IdentityVerifiedV1 } from './events/identity-verified.event';
import { OwnershipRegisteredV1 } from './events/ownership-registered.event';
import { ReceiptV1 } from './events/receipt.event';
import { RejectionV1 } from './events/rejection.event';
import { ReplayRequestedV1 } from './events/replay-requested.event';
import type { Sector } from './systems';

type PayloadClass<T> = new () => T;

/** One row of the event-type table: everything else (topic, ce_type, key) is derived from it. */
export interface EventTypeDef<T extends object = object> {
  sector: Sector;
  name: string;
  major: number;
  /**
   * The one system granted to publish this type (`*`: any member system, for receipts).
   * Consumers refuse the type from any other `ce_source`; the hub's catalogue agrees.
   */
  provider: string;
  payload: PayloadClass<T>;
  /** The topic's name segment where it differs from `name` (a stream of many receipts). */
  stream?: string;
  /**
   * The natural identifier of the subject the event is about. It never leaves the
   * producer in clear: it is turned into the pseudonymous subject key (the Kafka key).
   * The hub computes the same hash from the payload for what it stores (decision 0010).
   */
  subjectOf(payload: T): string;
}

/** Infers the payload type of a row so that `subjectOf` is checked against it. */
function define<T extends object>(def: EventTypeDef<T>): EventTypeDef {
  return def;
}

/** The single table of event types, version 1 of every flow. */
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
    sector: 'civil-status',
    name: 'death-registered',
    major: 1,
    provider: 'civil-status',
    payload: DeathRegisteredV1,
    subjectOf: (p) => p.deceased.personalId,
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
    sector: 'population',
    name: 'citizen-deceased',
    major: 1,
    provider: 'population',
    payload: CitizenDeceasedV1,
    subjectOf: (p) => p.personalId,
  }),
  define({
    sector: 'population',
    name: 'identity-verified',
    major: 1,
    provider: 'population',
    payload: IdentityVerifiedV1,
    subjectOf: (p) => p.personalId,
  }),
  define({
    sector: 'population',
    name: 'card-link-verified',
    major: 1,
    provider: 'population',
    payload: CardLinkVerifiedV1,
    subjectOf: (p) => p.personalId,
  }),
  define({
    sector: 'land',
    name: 'ownership-registered',
    major: 1,
    provider: 'land',
    payload: OwnershipRegisteredV1,
    subjectOf: (p) =>
      `parcel:${parcelKey(p.parcel.communeCode, p.parcel.mapSheetNumber, p.parcel.parcelNumber)}`,
  }),
  define({
    sector: 'insurance',
    name: 'card-issued',
    major: 1,
    provider: 'insurance',
    payload: CardIssuedV1,
    subjectOf: (p) => p.personalId,
  }),
  define({
    sector: 'insurance',
    name: 'card-terminated',
    major: 1,
    provider: 'insurance',
    payload: CardTerminatedV1,
    subjectOf: (p) => p.personalId,
  }),
  define({
    sector: 'insurance',
    name: 'funeral-allowance-granted',
    major: 1,
    provider: 'insurance',
    payload: FuneralAllowanceGrantedV1,
    subjectOf: (p) => p.personalId,
  }),
  define({
    sector: 'insurance',
    name: 'card-link-requested',
    major: 1,
    provider: 'insurance',
    payload: CardLinkRequestedV1,
    subjectOf: (p) => p.personalId,
  }),
  define({
    sector: 'hub',
    name: 'receipt',
    stream: 'receipts',
    major: 1,
    provider: '*',
    payload: ReceiptV1,
    subjectOf: (p) => `event:${p.eventId}`,
  }),
  define({
    sector: 'hub',
    name: 'rejection',
    stream: 'rejections',
    major: 1,
    provider: 'hub',
    payload: RejectionV1,
    subjectOf: (p) => `event:${p.eventId}`,
  }),
  define({
    sector: 'hub',
    name: 'replay-requested',
    stream: 'replay-requests',
    major: 1,
    provider: 'hub',
    payload: ReplayRequestedV1,
    subjectOf: (p) => `consumer:${p.consumer}`,
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
  return `${prefix}lgsp.${def.sector}.${def.stream ?? def.name}.v${def.major}`;
}

const byKey = new Map(EVENT_TYPES.map((d) => [eventTypeKey(d), d]));
const byCeType = new Map(EVENT_TYPES.map((d) => [ceTypeOf(d), d]));

export function findEventType(key: string): EventTypeDef | undefined {
  return byKey.get(key);
}

export function eventType(key: string): EventTypeDef {
  const def = byKey.get(key);
  if (!def) throw new Error(`unknown event type ${key}`);
  return def;
}

export function findEventTypeByCeType(ceType: string): EventTypeDef | undefined {
  return byCeType.get(ceType);
}

/** Whether `system` may publish events of this type. */
export function isGrantedProvider(def: EventTypeDef, system: string | undefined): boolean {
  return system !== undefined && (def.provider === '*' || def.provider === system);
}

export const RECEIPT = eventType('hub.receipt.v1');
export const REJECTION = eventType('hub.rejection.v1');
export const REPLAY_REQUESTED = eventType('hub.replay-requested.v1');
