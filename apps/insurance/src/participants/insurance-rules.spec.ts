import {
  type AllowanceBase,
  allowanceBaseKindOn,
  allowanceBaseOn,
  childCardEnd,
  childCardValidity,
  funeralEntitlement,
} from './insurance-rules';

const TABLE: AllowanceBase[] = [
  { effectiveFrom: '2019-07-01', amountVnd: 1_490_000, kind: 'BASE_SALARY' },
  { effectiveFrom: '2024-07-01', amountVnd: 2_340_000, kind: 'BASE_SALARY' },
  { effectiveFrom: '2025-07-01', amountVnd: 2_340_000, kind: 'REFERENCE_LEVEL' },
  { effectiveFrom: '2023-07-01', amountVnd: 1_800_000, kind: 'BASE_SALARY' },
  // A later row, as an administrator would add one (an amount made up for the test).
  { effectiveFrom: '2027-01-01', amountVnd: 2_500_000, kind: 'REFERENCE_LEVEL' },
];

describe('what the funeral allowance is based on, in the month of death', () => {
  it('is the base salary for a death on 30 June 2025, under the 2014 law', () => {
    expect(allowanceBaseOn(TABLE, '2025-06-30')).toEqual({
      effectiveFrom: '2024-07-01',
      amountVnd: 2_340_000,
      kind: 'BASE_SALARY',
    });
  });

  it('is the reference level for a death on 1 July 2025, under the 2024 law', () => {
    expect(allowanceBaseOn(TABLE, '2025-07-01')).toEqual({
      effectiveFrom: '2025-07-01',
      amountVnd: 2_340_000,
      kind: 'REFERENCE_LEVEL',
    });
    expect(allowanceBaseOn(TABLE, '2025-07-31')?.effectiveFrom).toBe('2025-07-01');
  });

  it('takes a new amount from the first day of its month, and the old one the day before', () => {
    expect(allowanceBaseOn(TABLE, '2024-07-01')?.amountVnd).toBe(2_340_000);
    expect(allowanceBaseOn(TABLE, '2024-06-30')?.amountVnd).toBe(1_800_000);
    expect(allowanceBaseOn(TABLE, '2026-12-31')?.amountVnd).toBe(2_340_000);
    expect(allowanceBaseOn(TABLE, '2027-01-01')?.amountVnd).toBe(2_500_000);
    expect(allowanceBaseOn(TABLE, '2027-11-22')?.amountVnd).toBe(2_500_000);
  });

  it('has none before the first row', () => {
    expect(allowanceBaseOn(TABLE, '2019-06-30')).toBeUndefined();
  });

  it('names the kind the law in force on a day uses', () => {
    expect(allowanceBaseKindOn('2025-06-30')).toBe('BASE_SALARY');
    expect(allowanceBaseKindOn('2025-07-01')).toBe('REFERENCE_LEVEL');
  });
});

describe('funeral allowance entitlement', () => {
  it.each([
    [{ isPensioner: true, contributionMonths: 0 }, 'PENSIONER'],
    [{ isPensioner: false, contributionMonths: 12 }, 'CONTRIBUTOR'],
    [{ isPensioner: false, contributionMonths: 11 }, undefined],
  ] as const)('%j → %s', (p, expected) => {
    expect(funeralEntitlement(p)).toBe(expected);
  });
});

describe("a child's free card, as Decree 146/2018/NĐ-CP Art. 13(2) sets its end", () => {
  it('runs to 30 September of the sixth year for a child born before 30 September', () => {
    expect(childCardEnd('2026-01-01')).toBe('2032-09-30');
    expect(childCardEnd('2026-09-29')).toBe('2032-09-30');
    expect(childCardValidity('2026-03-15', '2026-11-22')).toEqual({
      validFrom: '2026-03-15',
      validTo: '2032-09-30',
    });
  });

  it('runs to the last day of the month the child turns 72 months, for one born after 30 September', () => {
    expect(childCardEnd('2026-10-01')).toBe('2032-10-31');
    expect(childCardEnd('2026-10-31')).toBe('2032-10-31');
    expect(childCardEnd('2026-11-15')).toBe('2032-11-30');
    expect(childCardEnd('2026-12-31')).toBe('2032-12-31');
  });

  it('gives 30 September to a child born on 30 September, whichever way the day is read', () => {
    expect(childCardEnd('2026-09-30')).toBe('2032-09-30');
  });

  it('gives 30 September of the sixth year to a child born on 29 February', () => {
    expect(childCardEnd('2024-02-29')).toBe('2030-09-30');
  });

  it('still covers a child past the sixth birthday until the end the decree sets', () => {
    // Born 15 March 2020: six on 15 March 2026, covered to 30 September 2026.
    expect(childCardValidity('2020-03-15', '2026-03-16')?.validTo).toBe('2026-09-30');
    expect(childCardValidity('2020-03-15', '2026-09-30')).toBeDefined();
    expect(childCardValidity('2020-03-15', '2026-10-01')).toBeUndefined();
    // Born 20 November 2020: covered to 30 November 2026.
    expect(childCardValidity('2020-11-20', '2026-11-30')).toBeDefined();
    expect(childCardValidity('2020-11-20', '2026-12-01')).toBeUndefined();
  });
});
