/** Member systems known to the contracts. The catalogue (hub) says which are active. */
export const SYSTEMS = ['civil-status', 'population', 'insurance', 'land', 'hub'] as const;
export type SystemCode = (typeof SYSTEMS)[number];

/** Sectors own event types; a sector's events are published by its system. */
export type Sector = 'civil-status' | 'population' | 'insurance' | 'land' | 'hub';

/** CloudEvents `source` of a member system: `/lgsp/<province>/<system>`. */
export function sourceOf(provinceCode: string, system: string): string {
  return `/lgsp/${provinceCode}/${system}`;
}

/** The system code named by a `ce_source`, or undefined if it does not have the LGSP shape. */
export function systemOfSource(source: string): string | undefined {
  const m = /^\/lgsp\/[0-9]{2}\/([a-z][a-z-]*)$/.exec(source);
  return m?.[1];
}
