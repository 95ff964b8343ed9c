/**
 * Whether two names are the same for an identity check: case and spacing do not count,
 * diacritics do ("Lê" is not "Le"): Vietnamese names differ by their marks alone.
 */
export function sameName(a: string, b: string): boolean {
  const canonical = (s: string) =>
    s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');
  return canonical(a) === canonical(b);
}
