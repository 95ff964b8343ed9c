import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_TYPES, eventTypeKey } from './event-types';
import { INVALID_MUTATIONS, mutated, SERVER_ONLY_MUTATIONS, VALID_EXAMPLES } from './examples';
import { eventTypeSchema } from './json-schema';
import { validatePayload } from './validation/validate-payload';

// ajv in strict mode, as the strictest sectoral system would use it: every strict rule
// (unknown keywords, types, required fields declared, tuples) and unknown formats refused.
function strictAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv;
}
const ajv = strictAjv();

const types = EVENT_TYPES.map((d) => [eventTypeKey(d), d] as const);

describe.each(types)('contract %s', (type, def) => {
  const schema = ajv.compile(eventTypeSchema(def));
  const classValidator = (data: unknown) => validatePayload(def, data).errors;

  it('has a JSON Schema that ajv compiles in strict mode', () => {
    expect(() => strictAjv().compile(eventTypeSchema(def))).not.toThrow();
  });

  it('has a valid worked example, accepted by class-validator and by its JSON Schema', () => {
    const example = VALID_EXAMPLES[type];
    expect(example).toBeDefined();
    expect(classValidator(example)).toEqual([]);
    expect(schema(example) ? [] : schema.errors).toEqual([]);
  });

  it.each(INVALID_MUTATIONS[type])('is refused by both with %s', (_what, change) => {
    const data = mutated(type, change);
    expect(classValidator(data)).not.toEqual([]);
    expect(schema(data)).toBe(false);
  });

  const serverOnly = SERVER_ONLY_MUTATIONS[type] ?? [];
  if (serverOnly.length > 0) {
    it.each(serverOnly)('is refused by class-validator (only) with %s', (_what, change) => {
      const data = mutated(type, change);
      expect(classValidator(data)).not.toEqual([]);
      expect(schema(data)).toBe(true);
    });
  }
});

it('puts nothing beside a $ref, which draft-07 readers would ignore', () => {
  const beside: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (!node || typeof node !== 'object') return;
    if ('$ref' in node && Object.keys(node).length > 1) beside.push(at);
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
  };
  for (const [type, def] of types) walk(eventTypeSchema(def), type);
  expect(beside).toEqual([]);
});

it('names in the schema the rules only the server checks', () => {
  const schema = eventTypeSchema(EVENT_TYPES.find((d) => d.name === 'death-registered')!);
  const definitions = schema.definitions as Record<string, { description?: string }>;
  expect(definitions.SexedIdentityV1.description).toMatch(/sex agrees with personalId/);
  expect(definitions.SexedIdentityV1.description).toMatch(/dateOfBirth agrees with personalId/);
  expect(schema.description).toMatch(/registeredOn is on or after dateOfDeath/);
});
