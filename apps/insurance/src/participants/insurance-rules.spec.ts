import { baseSalaryOn, childCardValidity, funeralEntitlement } from './insurance-rules';

const TABLE = [
  { effectiveFrom: '2019-07-01', amountVnd: 1_490_000 },
  { effectiveFrom: '2024-07-01', amountVnd: 2_340_000 },
  { effectiveFrom: '2023-07-01', amountVnd: 1_800_000 },
];

describe('base salary in force', () => {
  it('takes the new salary on the day it changes, and the old one the day before', () => {
    expect(baseSalaryOn(TABLE, '2024-07-01')?.amountVnd).toBe(2_340_000);
    expect(baseSalaryOn(TABLE, '2024-06-30')?.amountVnd).toBe(1_800_000);
    expect(baseSalaryOn(TABLE, '2026-11-22')?.amountVnd).toBe(2_340_000);
  });

  it('has none before the first entry', () => {
    expect(baseSalaryOn(TABLE, '2019-06-30')).toBeUndefined();
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

describe('free card of a child under six', () => {
  it('runs from birth to the day before the sixth birthday', () => {
    expect(childCardValidity('2026-10-01', '2026-11-22')).toEqual({
      validFrom: '2026-10-01',
      validTo: '2032-09-30',
    });
  });

  it('ends on 28 February for a child born on 29 February', () => {
    expect(childCardValidity('2024-02-29', '2026-11-22')?.validTo).toBe('2030-02-28');
  });

  it('is not issued on or after the sixth birthday', () => {
    expect(childCardValidity('2020-11-22', '2026-11-21')).toBeDefined();
    expect(childCardValidity('2020-11-22', '2026-11-22')).toBeUndefined();
  });
});
