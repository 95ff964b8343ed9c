import { addDays, ageOn, nthBirthday } from './dates';
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
