import { aBirthRegistration, aCitizen, http, Rng } from '@lgsp/testing';
import { Client } from 'pg';
import { seed } from './seed';

export interface DemoOptions {
  seconds: number;
  perSecond: number;
  urls: { civilStatus: string; land: string; insurance: string; hub: string };
  populationUrl: string;
  insuranceUrl: string;
  say(line: string): void;
}

interface Person {
  personal_id: string;
  full_name: string;
  sex: 'MALE' | 'FEMALE';
  date_of_birth: string;
}

type Action = [weight: number, what: string, act: () => Promise<number>];

/**
 * Keeps a realistic mix flowing through a running stack — births, deaths, land
 * registrations, card links, and a small share of submissions that must be refused — and
 * stops by itself after `seconds`. People are drawn from the population register.
 */
export async function demo(o: DemoOptions): Promise<Record<string, number>> {
  const db = new Client({ connectionString: o.populationUrl });
  await db.connect();
  try {
    const sample = async (where: string, n = 2000): Promise<Person[]> =>
      (
        await db.query<Person>(
          `SELECT personal_id, full_name, sex, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth
             FROM citizens TABLESAMPLE SYSTEM (10) WHERE status = 'ALIVE' AND ${where} LIMIT ${n}`,
        )
      ).rows;
    if ((await sample('true', 200)).length < 200) {
      o.say('the register is nearly empty: seeding 5,000 synthetic citizens first');
      const s = {
        citizens: 5000,
        seed: Date.now() % 100_000,
        provinceCode: '01',
        progress: () => undefined,
      };
      await seed({ ...s, populationUrl: o.populationUrl, insuranceUrl: o.insuranceUrl });
    }
    // Pools drawn once, so that a pick never scans the register; the dead leave them.
    const mothers = await sample(
      "sex = 'FEMALE' AND date_of_birth BETWEEN now() - interval '45 years' AND now() - interval '19 years'",
    );
    const fathers = await sample(
      "sex = 'MALE' AND date_of_birth BETWEEN now() - interval '50 years' AND now() - interval '20 years'",
    );
    const elderly = await sample("date_of_birth < now() - interval '70 years'");
    const adults = await sample("date_of_birth < now() - interval '20 years'");
    const rng = new Rng(Date.now() % 2 ** 31);
    const take = (pool: Person[]) => pool.splice(rng.int(0, pool.length - 1), 1)[0];
    const ref = (p: Person) => ({ personalId: p.personal_id, fullName: p.full_name });
    const post = async (url: string, body: unknown) => (await http('POST', url, body)).status;

    const actions: Action[] = [
      [
        50,
        'birth',
        () => {
          const birth = aBirthRegistration(rng, { mother: ref(rng.pick(mothers)) });
          return post(`${o.urls.civilStatus}/births`, { ...birth, father: ref(rng.pick(fathers)) });
        },
      ],
      [
        5,
        'birth (invalid, refused)',
        () => post(`${o.urls.civilStatus}/births`, { child: { fullName: 'X', sex: 'M' } }),
      ],
      [
        12,
        'death',
        () => {
          const p = take(elderly);
          const deceased = {
            personalId: p.personal_id,
            fullName: p.full_name,
            sex: p.sex,
            dateOfBirth: p.date_of_birth,
          };
          const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
          return post(`${o.urls.civilStatus}/deaths`, { deceased, dateOfDeath: yesterday });
        },
      ],
      [
        3,
        'death of an unknown citizen (refused in the chain)',
        () => {
          const c = aCitizen(rng);
          const deceased = {
            personalId: c.personalId,
            fullName: c.fullName,
            sex: c.sex,
            dateOfBirth: c.dateOfBirth,
          };
          return post(`${o.urls.civilStatus}/deaths`, { deceased, dateOfDeath: '2026-01-02' });
        },
      ],
      [
        15,
        'land registration',
        () => {
          const owners = [rng.pick(adults), rng.pick(adults)].slice(0, rng.int(1, 2)).map((p) => ({
            personalId: p.personal_id,
            // One owner in ten is declared without diacritics: the register flags the name.
            fullName:
              rng.next() < 0.1 ? p.full_name.normalize('NFD').replace(/\p{M}/gu, '') : p.full_name,
            dateOfBirth: p.date_of_birth,
          }));
          const parcel = {
            communeCode: String(rng.int(1, 32_000)).padStart(5, '0'),
            mapSheetNumber: rng.int(1, 300),
            parcelNumber: rng.int(1, 99_999),
            areaM2: rng.int(40, 2000),
            landUsePurpose: rng.pick(['ODT', 'ONT', 'CLN', 'LUC']),
          };
          return post(`${o.urls.land}/parcels`, { parcel, owners });
        },
      ],
      [
        12,
        'card link batch',
        () => post(`${o.urls.insurance}/cards/link-requests`, { limit: 20, batchSize: 10 }),
      ],
      [
        3,
        'hub publish without a credential (refused)',
        () => post(`${o.urls.hub}/events/land.ownership-registered.v1`, {}),
      ],
    ];
    const total = actions.reduce((s, [w]) => s + w, 0);
    const pick = (): Action => {
      let r = rng.next() * total;
      return actions.find(([w]) => (r -= w) < 0) ?? actions[0];
    };

    const tally: Record<string, number> = {};
    const inFlight = new Set<Promise<void>>();
    const start = Date.now();
    for (let sent = 0; Date.now() - start < o.seconds * 1000; sent++) {
      const due = (sent * 1000) / o.perSecond - (Date.now() - start);
      if (due > 0) await new Promise((r) => setTimeout(r, due));
      if (inFlight.size >= 20) await Promise.race(inFlight); // the stack sets the pace if it must
      const [, what, act] = pick();
      const done: Promise<void> = act()
        .catch(() => 0)
        .then((status) => {
          tally[`${what}: ${status}`] = (tally[`${what}: ${status}`] ?? 0) + 1;
          inFlight.delete(done);
        });
      inFlight.add(done);
      if ((sent + 1) % (o.perSecond * 10) === 0) o.say(`${sent + 1} submissions so far`);
    }
    await Promise.all(inFlight);
    return tally;
  } finally {
    await db.end();
  }
}
