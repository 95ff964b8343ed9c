import { ChildCardCorrection, insuranceService } from '@apps/insurance';
import { formatBhytCardNumber } from '@lgsp/contracts';
import { aPersonalId, query, readTopic, Rng, TestStack } from '@lgsp/testing';

/** A child's card as a system issued it before the end date followed the decree. */
interface OldCard {
  dateOfBirth: string;
  validTo: string;
  status?: string;
}

describe("insurance: children's cards issued under the old end date are corrected and announced", () => {
  let stack: TestStack;
  const rng = new Rng(146_2018);
  let serial = 90_000_000;

  async function insert(card: OldCard): Promise<string> {
    const personalId = aPersonalId(rng, 'FEMALE', card.dateOfBirth);
    const si = `01${String(serial++)}`;
    const cardNumber = formatBhytCardNumber('TE', 1, '01', si);
    await query(
      stack.databaseUrl('insurance'),
      `INSERT INTO cards (card_number, personal_id, social_insurance_number, beneficiary_group,
                          benefit_level, valid_from, valid_to, status)
       VALUES ($1, $2, $3, 'TE', 1, $4, $5, $6)`,
      [cardNumber, personalId, si, card.dateOfBirth, card.validTo, card.status ?? 'ACTIVE'],
    );
    return cardNumber;
  }

  const validTo = async (cardNumber: string) =>
    (
      await query<{ valid_to: string }>(
        stack.databaseUrl('insurance'),
        'SELECT valid_to::text AS valid_to FROM cards WHERE card_number = $1',
        [cardNumber],
      )
    )[0].valid_to;

  beforeAll(async () => {
    stack = await TestStack.start([insuranceService], { suffix: '_card_correction' });
  });

  afterAll(() => stack.close());

  it('gives each active card the decree’s end, publishes card-issued for it, and leaves the rest alone', async () => {
    // Born before 30 September: to 30 September of the sixth year (was: the day before the birthday).
    const spring = await insert({ dateOfBirth: '2021-03-15', validTo: '2027-03-14' });
    // Born after 30 September: to the last day of the month the child turns 72 months.
    const autumn = await insert({ dateOfBirth: '2021-11-20', validTo: '2027-11-19' });
    // Already right, and a card closed on a death: neither is touched.
    const right = await insert({ dateOfBirth: '2022-05-01', validTo: '2028-09-30' });
    const closed = await insert({
      dateOfBirth: '2022-06-01',
      validTo: '2028-05-31',
      status: 'TERMINATED',
    });

    const correction = stack.service('insurance').app.get(ChildCardCorrection);
    expect(await correction.correctAll()).toBe(2);
    expect(await validTo(spring)).toBe('2027-09-30');
    expect(await validTo(autumn)).toBe('2027-11-30');
    expect(await validTo(right)).toBe('2028-09-30');
    expect(await validTo(closed)).toBe('2028-05-31');

    const announced = await readTopic(
      `${stack.topicPrefix()}lgsp.insurance.card-issued.v1`,
      (ms) => ms.length >= 2,
    );
    const cards = announced.map(
      (m) => JSON.parse(String(m.value)) as { cardNumber: string; validTo: string },
    );
    expect(cards.map((c) => [c.cardNumber, c.validTo]).sort()).toEqual(
      [
        [spring, '2027-09-30'],
        [autumn, '2027-11-30'],
      ].sort(),
    );

    // A second run finds nothing left to correct.
    expect(await correction.correctAll()).toBe(0);
  });
});
