import { formatPersonalId, personalIdPrefix, PROVINCES, type Sex } from '@lgsp/contracts';

/** A small seeded PRNG (mulberry32): the same seed gives the same synthetic data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE: Record<Sex, string[]> = {
  MALE: ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thành', 'Công', 'Gia'],
  FEMALE: ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Hoài', 'Khánh', 'Bảo', 'Phương'],
};
const GIVEN: Record<Sex, string[]> = {
  MALE: [
    'An',
    'Bình',
    'Dũng',
    'Hải',
    'Hùng',
    'Khoa',
    'Long',
    'Nam',
    'Phúc',
    'Quân',
    'Sơn',
    'Trung',
    'Tuấn',
    'Việt',
  ],
  FEMALE: [
    'Chi',
    'Hà',
    'Hạnh',
    'Hương',
    'Lan',
    'Linh',
    'Mai',
    'Ngân',
    'Phương',
    'Quỳnh',
    'Thảo',
    'Trang',
    'Vy',
    'Yến',
  ],
};
const STREETS = [
  'Lê Lợi',
  'Trần Hưng Đạo',
  'Nguyễn Trãi',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Điện Biên Phủ',
];

/** A common Vietnamese family name (họ). */
export function aFamilyName(rng: Rng): string {
  return rng.pick(FAMILY);
}

export function aFullName(rng: Rng, sex: Sex, family = aFamilyName(rng)): string {
  return `${family} ${rng.pick(MIDDLE[sex])} ${rng.pick(GIVEN[sex])}`.normalize('NFC');
}

export function anAddress(rng: Rng): string {
  const province = rng.pick(PROVINCES);
  return `Số ${rng.int(1, 300)} đường ${rng.pick(STREETS)}, ${province.name}`.normalize('NFC');
}

export function aDate(rng: Rng, fromYear: number, toYear: number): string {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Math.min(Date.UTC(toYear, 11, 31), Date.now() - 86_400_000);
  return new Date(start + Math.floor(rng.next() * (end - start))).toISOString().slice(0, 10);
}

export function aPersonalId(
  rng: Rng,
  sex: Sex,
  dateOfBirth: string,
  provinceCode = rng.pick(PROVINCES).code,
): string {
  const prefix = personalIdPrefix(provinceCode, sex, Number(dateOfBirth.slice(0, 4)));
  return formatPersonalId(prefix, rng.int(0, 999_999));
}

/** An adult citizen as the population registry would hold them. */
export function aCitizen(rng: Rng, sex: Sex = rng.pick(['MALE', 'FEMALE'] as const)) {
  const dateOfBirth = aDate(rng, 1965, 2002);
  return {
    personalId: aPersonalId(rng, sex, dateOfBirth),
    fullName: aFullName(rng, sex),
    sex,
    dateOfBirth,
    permanentAddress: anAddress(rng),
  };
}

/** A birth as a registrar submits it: a newborn and the mother (and usually the father). */
export function aBirthRegistration(
  rng: Rng,
  opts: { mother?: { personalId: string; fullName: string } } = {},
) {
  const sex = rng.pick(['MALE', 'FEMALE'] as const);
  const mother = opts.mother ?? aCitizen(rng, 'FEMALE');
  const father = aCitizen(rng, 'MALE');
  const family = father.fullName.split(' ')[0];
  return {
    child: {
      fullName: aFullName(rng, sex, family),
      sex,
      dateOfBirth: aDate(rng, new Date().getUTCFullYear() - 1, new Date().getUTCFullYear()),
    },
    mother: { personalId: mother.personalId, fullName: mother.fullName },
    father: { personalId: father.personalId, fullName: father.fullName },
  };
}

/** Enters citizens into the population register's database, as the national register holds them. */
export async function addToRegister(
  populationDatabaseUrl: string,
  people: {
    personalId: string;
    fullName: string;
    sex: string;
    dateOfBirth: string;
    permanentAddress?: string;
  }[],
): Promise<void> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: populationDatabaseUrl });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO citizens (personal_id, full_name, sex, date_of_birth, permanent_address, status)
       SELECT *, 'ALIVE' FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[])
       ON CONFLICT (personal_id) DO NOTHING`,
      [
        people.map((p) => p.personalId),
        people.map((p) => p.fullName),
        people.map((p) => p.sex),
        people.map((p) => p.dateOfBirth),
        people.map((p) => p.permanentAddress ?? null),
      ],
    );
  } finally {
    await c.end();
  }
}

/** A birth whose mother and father are both in the register (added there by the caller). */
export function aBirthOfRegisteredParents(rng: Rng) {
  const mother = aCitizen(rng, 'FEMALE');
  const father = aCitizen(rng, 'MALE');
  const birth = aBirthRegistration(rng, { mother });
  birth.father = { personalId: father.personalId, fullName: father.fullName };
  return { birth, parents: [mother, father] };
}
