/** Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC, without time of day. */

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return iso(Date.UTC(y, m - 1, d + days));
}

/**
 * The n-th birthday. Someone born on 29 February has their birthday on 1 March in a
 * year without one (the day after 28 February), so that a day before it always exists.
 */
export function nthBirthday(dateOfBirth: string, n: number): string {
  const [y, m, d] = parts(dateOfBirth);
  const year = y + n;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (m === 2 && d === 29 && !leap) return `${year}-03-01`;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whole years of age on a given day. */
export function ageOn(dateOfBirth: string, day: string): number {
  let age = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  if (nthBirthday(dateOfBirth, age) > day) age--;
  return age;
}
