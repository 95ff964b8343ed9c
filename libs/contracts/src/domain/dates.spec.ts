import { addDays, ageOn, nthBirthday } from './dates';
import { isCalendarDate } from '../validation/domain-validators';
import { sameName } from './identity';

describe('birthdays and ages', () => {
  it('counts a 29 February birthday as 1 March in a year without one', () => {
    expect(nthBirthday('2024-02-29', 6)).toBe('2030-03-01');
    expect(nthBirthday('2024-02-29', 4)).toBe('2028-02-29');
    expect(nthBirthday('2000-02-29', 100)).toBe('2100-03-01'); // 2100 is not a leap year
  });

  it('knows the day before the sixth birthday, across month and year ends', () => {
    expect(addDays(nthBirthday('2024-02-29', 6), -1)).toBe('2030-02-28');
    expect(addDays(nthBirthday('2026-03-01', 6), -1)).toBe('2032-02-29');
    expect(addDays(nthBirthday('2025-01-01', 6), -1)).toBe('2030-12-31');
  });

  it('turns a year older on the birthday, not the day before', () => {
    expect(ageOn('2020-06-15', '2026-06-14')).toBe(5);
    expect(ageOn('2020-06-15', '2026-06-15')).toBe(6);
    expect(ageOn('2024-02-29', '2030-02-28')).toBe(5);
    expect(ageOn('2024-02-29', '2030-03-01')).toBe(6);
  });
});

describe('sameName', () => {
  it('ignores case and spacing', () => {
    expect(sameName('Nguyễn  Văn An', ' nguyễn văn an')).toBe(true);
    expect(sameName('ĐẶNG THỊ LAN', 'Đặng Thị Lan')).toBe(true);
  });

  it('does not ignore diacritics', () => {
    expect(sameName('Lê Văn An', 'Le Van An')).toBe(false);
    expect(sameName('Nguyễn Văn Ân', 'Nguyễn Văn An')).toBe(false);
  });

  it('compares composed and decomposed forms alike', () => {
    expect(sameName('Trần Thị Lan'.normalize('NFD'), 'Trần Thị Lan')).toBe(true);
  });
});

describe('isCalendarDate', () => {
  /** The definition it replaces: what the JavaScript date round trip says. */
  const byRoundTrip = (v: string) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  };

  it('agrees with the date round trip on every day-shaped string of leap, century and ordinary years', () => {
    for (const year of ['0000', '1900', '1999', '2000', '2024', '2026', '2100', '9999'])
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const v = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect([v, isCalendarDate(v)]).toEqual([v, byRoundTrip(v)]);
        }
  });

  it('refuses what is not shaped like a date', () => {
    for (const v of ['2026-1-01', '20260101', '2026-01-01T00:00:00Z', '', 20260101, null])
      expect(isCalendarDate(v)).toBe(false);
  });
});
