import {
  formatPersonalId,
  parsePersonalId,
  personalIdAgrees,
  personalIdPrefix,
  sexCenturyDigit,
} from './personal-id';

describe('personal ID number', () => {
  it.each([
    ['MALE', 1999, 0],
    ['FEMALE', 1900, 1],
    ['MALE', 2000, 2],
    ['FEMALE', 2099, 3],
    ['MALE', 2100, 4],
    ['FEMALE', 2199, 5],
  ] as const)('encodes %s born %i with century digit %i', (sex, year, digit) => {
    expect(sexCenturyDigit(sex, year)).toBe(digit);
  });

  it('refuses years outside 1900–2199', () => {
    expect(() => sexCenturyDigit('MALE', 1899)).toThrow(RangeError);
    expect(() => sexCenturyDigit('MALE', 2200)).toThrow(RangeError);
  });

  it('builds the prefix from the province, sex/century and two-digit year', () => {
    expect(personalIdPrefix('01', 'FEMALE', 2024)).toBe('001324');
    expect(personalIdPrefix('79', 'MALE', 2005)).toBe('079205');
    expect(() => personalIdPrefix('03', 'MALE', 2005)).toThrow(/unknown province/);
  });

  it('formats the serial as six digits', () => {
    expect(formatPersonalId('001324', 42)).toBe('001324000042');
    expect(() => formatPersonalId('001324', 1_000_000)).toThrow(RangeError);
  });

  it('parses an ID back into its parts', () => {
    expect(parsePersonalId('079205000123')).toEqual({
      provinceCode: '79',
      sex: 'MALE',
      yearOfBirth: 2005,
      serial: '000123',
    });
  });

  it.each(['07920500012', '0792050001234', '07920500012a', '003205000123', '079605000123'])(
    'rejects %s',
    (id) => {
      expect(parsePersonalId(id)).toBeUndefined();
    },
  );

  it('checks agreement with sex and date of birth', () => {
    expect(personalIdAgrees('001324000001', 'FEMALE', '2024-02-29')).toBe(true);
    expect(personalIdAgrees('001324000001', 'MALE', '2024-02-29')).toBe(false);
    expect(personalIdAgrees('001324000001', 'FEMALE', '2023-02-28')).toBe(false);
    expect(personalIdAgrees('001124000001', 'FEMALE', '1924-05-01')).toBe(true);
  });
});
