/**
 * Worked examples of every event type: served with the schemas, and run through both
 * class-validator and the generated JSON Schema by the contract tests.
 */
export const VALID_EXAMPLES: Record<string, object> = {
  'civil-status.birth-registered.v1': {
    registrationId: '0b7e7c1e-3c1a-4d0e-9b55-2f8d0e4b6a11',
    registeredOn: '2026-10-05',
    registrationProvinceCode: '01',
    child: {
      fullName: 'Nguyễn Minh An',
      sex: 'MALE',
      dateOfBirth: '2026-10-01',
      placeOfBirth: 'Bệnh viện Phụ sản Hà Nội',
    },
    mother: { personalId: '001190012345', fullName: 'Trần Thị Lan' },
    father: { personalId: '001088054321', fullName: 'Nguyễn Văn Hùng' },
  },
  'civil-status.death-registered.v1': {
    registrationId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    registeredOn: '2026-10-02',
    deceased: {
      personalId: '001052000777',
      fullName: 'Phạm Văn Thành',
      sex: 'MALE',
      dateOfBirth: '1952-03-14',
    },
    dateOfDeath: '2026-09-30',
  },
  'population.citizen-registered.v1': {
    personalId: '001226000001',
    birthRegistrationId: '0b7e7c1e-3c1a-4d0e-9b55-2f8d0e4b6a11',
    fullName: 'Nguyễn Minh An',
    sex: 'MALE',
    dateOfBirth: '2026-10-01',
    permanentAddress: 'Số 12 đường Lê Lợi, Hà Nội',
  },
  'population.citizen-deceased.v1': {
    personalId: '001052000777',
    deathRegistrationId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    dateOfDeath: '2026-09-30',
    residenceRemovedOn: '2026-10-03',
  },
  'population.identity-verified.v1': {
    ownerId: '3d9a0c55-7d0e-4f41-a2a8-1f4c8b1e2d33',
    registrationId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
    personalId: '001088054321',
    result: 'MISMATCH',
    mismatchedFields: ['dateOfBirth'],
  },
  'population.card-link-verified.v1': {
    cardNumber: 'GD4010555666777',
    personalId: '001190012345',
    batchId: 'c0ffee00-1234-4abc-8def-0123456789ab',
    result: 'MATCH',
  },
  'land.ownership-registered.v1': {
    registrationId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
    registeredOn: '2026-10-10',
    parcel: {
      communeCode: '00004',
      mapSheetNumber: 12,
      parcelNumber: 345,
      areaM2: 120.5,
      landUsePurpose: 'ODT',
    },
    owners: [
      {
        ownerId: '3d9a0c55-7d0e-4f41-a2a8-1f4c8b1e2d33',
        personalId: '001088054321',
        fullName: 'Nguyễn Văn Hùng',
        dateOfBirth: '1988-05-20',
      },
    ],
  },
  'insurance.card-issued.v1': {
    cardNumber: 'TE1010123456789',
    personalId: '001226000001',
    beneficiaryGroup: 'TE',
    benefitLevel: 1,
    socialInsuranceNumber: '0123456789',
    validFrom: '2026-10-01',
    validTo: '2032-09-30',
  },
  'insurance.card-terminated.v1': {
    cardNumber: 'HT3010987654321',
    personalId: '001052000777',
    terminatedOn: '2026-09-30',
    reason: 'DECEASED',
  },
  'insurance.funeral-allowance-granted.v1': {
    personalId: '001052000777',
    dateOfDeath: '2026-09-30',
    entitlement: 'PENSIONER',
    baseSalaryVnd: 2_340_000,
    multiplier: 10,
    amountVnd: 23_400_000,
    grantedOn: '2026-10-05',
  },
  'insurance.card-link-requested.v1': {
    cardNumber: 'GD4010555666777',
    personalId: '001190012345',
    fullName: 'Trần Thị Lan',
    dateOfBirth: '1990-07-12',
    batchId: 'c0ffee00-1234-4abc-8def-0123456789ab',
  },
  'hub.receipt.v1': {
    eventId: '01a2009c-0de4-75ea-9838-3f28d9dede1d',
    eventType: 'vn.lgsp.civil-status.birth-registered.v1',
    consumer: 'population',
    status: 'SUCCESS',
    attempts: 1,
    receivedAt: '2026-10-05T01:02:03.000Z',
    completedAt: '2026-10-05T01:02:03.050Z',
  },
  'hub.rejection.v1': {
    eventId: '01a2009c-0de4-75ea-9838-3f28d9dede1e',
    eventType: 'land.ownership-registered.v1',
    provider: 'civil-status',
    channel: 'HTTP',
    errorCode: 'HUB.TYPE_NOT_GRANTED',
    reason: 'civil-status may not publish land.ownership-registered.v1',
    httpStatus: 403,
    receivedAt: '2026-10-05T01:02:03.000Z',
  },
  'hub.replay-requested.v1': {
    requestId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    consumer: 'population',
    eventIds: ['01a2009c-0de4-75ea-9838-3f28d9dede1d'],
    requestedBy: 'operator key 7',
  },
};

type Mutation = [description: string, change: (o: Record<string, unknown>) => void];

const at = (path: string, value: unknown) => (o: Record<string, unknown>) => {
  const keys = path.split('.');
  let node = o;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  if (value === undefined) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
};

/** Changes that any validator — class-validator or a JSON Schema one — must refuse. */
export const INVALID_MUTATIONS: Record<string, Mutation[]> = {
  'civil-status.birth-registered.v1': [
    ['no child', at('child', undefined)],
    ['neither mother nor father', (o) => (delete o.mother, delete o.father)],
    ['an ID number from an unknown province', at('mother.personalId', '003190012345')],
    ['an ID number of 11 digits', at('mother.personalId', '00119001234')],
    ['a sex outside the list', at('child.sex', 'M')],
    ['a date that is not a date', at('child.dateOfBirth', '01/10/2026')],
    ['a one-letter name', at('child.fullName', 'A')],
    ['an untrimmed name', at('child.fullName', ' Nguyễn Minh An')],
    ['an unknown field', at('child.nickname', 'Bin')],
    ['an unknown province of registration', at('registrationProvinceCode', '99')],
    ['a list where the child is', at('child', [])],
  ],
  'civil-status.death-registered.v1': [
    ['a registration id that is not a UUID', at('registrationId', 'KT-2026-1')],
    ['no deceased', at('deceased', undefined)],
    ['a list where the deceased is', at('deceased', [[]])],
  ],
  'population.citizen-registered.v1': [['a number instead of an ID', at('personalId', 1226000001)]],
  'population.citizen-deceased.v1': [['no date of death', at('dateOfDeath', undefined)]],
  'population.identity-verified.v1': [
    ['an unknown result', at('result', 'PARTIAL')],
    ['an unknown mismatched field', at('mismatchedFields', ['address'])],
    ['a mismatch that names no field', at('mismatchedFields', undefined)],
  ],
  'population.card-link-verified.v1': [
    ['a card number with a bad group', at('cardNumber', 'ZZ4010555666777')],
  ],
  'land.ownership-registered.v1': [
    ['no owners', at('owners', [])],
    ['a list of lists where the owners are', at('owners', [[]])],
    ['a list where the parcel is', at('parcel', [])],
    ['a negative area', at('parcel.areaM2', -5)],
    ['an unknown land-use purpose', at('parcel.landUsePurpose', 'XYZ')],
    ['a four-digit commune code', at('parcel.communeCode', '0004')],
    ['a fractional parcel number', at('parcel.parcelNumber', 3.5)],
  ],
  'insurance.card-issued.v1': [
    ['a benefit level of 6', at('benefitLevel', 6)],
    ['a 14-character card number', at('cardNumber', 'TE101012345678')],
    ['a 9-digit social-insurance number', at('socialInsuranceNumber', '012345678')],
  ],
  'insurance.card-terminated.v1': [['an unknown reason', at('reason', 'MOVED')]],
  'insurance.funeral-allowance-granted.v1': [
    ['a fractional amount of VND', at('amountVnd', 23_400_000.5)],
    ['a negative base salary', at('baseSalaryVnd', -1)],
  ],
  'insurance.card-link-requested.v1': [['no batch', at('batchId', undefined)]],
  'hub.receipt.v1': [
    ['an unknown status', at('status', 'DONE')],
    ['zero attempts', at('attempts', 0)],
  ],
  'hub.rejection.v1': [['an unknown channel', at('channel', 'FTP')]],
  'hub.replay-requested.v1': [['no event ids', at('eventIds', [])]],
};

/**
 * Changes only the server can refuse: rules between fields and rules about "now", which a
 * JSON Schema cannot state. The schema's description names them.
 */
export const SERVER_ONLY_MUTATIONS: Record<string, Mutation[]> = {
  'civil-status.birth-registered.v1': [
    ['a birth in the future', at('child.dateOfBirth', '2999-01-01')],
  ],
  'civil-status.death-registered.v1': [
    ['an ID that says female for a man', at('deceased.personalId', '001152000777')],
    ['a registration before the death', at('registeredOn', '2026-09-01')],
  ],
  'population.citizen-registered.v1': [
    ['an ID born in another year', at('dateOfBirth', '2025-10-01')],
  ],
  'population.citizen-deceased.v1': [
    ['residence removed before the death', at('residenceRemovedOn', '2026-09-01')],
  ],
  'land.ownership-registered.v1': [
    [
      'an owner whose ID disagrees with the birth year',
      at('owners', [
        {
          ownerId: '3d9a0c55-7d0e-4f41-a2a8-1f4c8b1e2d33',
          personalId: '001088054321',
          fullName: 'Nguyễn Văn Hùng',
          dateOfBirth: '1987-05-20',
        },
      ]),
    ],
  ],
  'insurance.card-issued.v1': [['a card that ends before it starts', at('validTo', '2026-01-01')]],
  'insurance.funeral-allowance-granted.v1': [
    ['an amount that is not 10 × the base salary', at('amountVnd', 23_000_000)],
  ],
  'insurance.card-link-requested.v1': [
    ['a name not in NFC', at('fullName', 'Trần Thị Lan'.normalize('NFD'))],
  ],
};

export function mutated(
  type: string,
  change: (o: Record<string, unknown>) => void,
): Record<string, unknown> {
  const copy = structuredClone(VALID_EXAMPLES[type]) as Record<string, unknown>;
  change(copy);
  return copy;
}
