import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_TYPES, eventTypeKey } from './event-types';
import { INVALID_MUTATIONS, mutated, SERVER_ONLY_MUTATIONS, VALID_EXAMPLES } from './examples';
import { eventTypeSchema } from './json-schema';
import { validatePayload } from './validation/validate-payload';

// ajv's defaults, as a sectoral system would use them (strict schema keywords, unknown formats refused).
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);

const types = EVENT_TYPES.map((d) => [eventTypeKey(d), d] as const);

describe.each(types)('contract %s', (type, def) => {
  const schema = ajv.compile(eventTypeSchema(def));
  const classValidator = (data: unknown) => validatePayload(def, data).errors;

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

it('names in the schema the rules only the server checks', () => {
  const schema = eventTypeSchema(EVENT_TYPES.find((d) => d.name === 'death-registered')!);
  const definitions = schema.definitions as Record<string, { description?: string }>;
  expect(definitions.SexedIdentityV1.description).toMatch(/sex agrees with personalId/);
  expect(definitions.SexedIdentityV1.description).toMatch(/dateOfBirth agrees with personalId/);
  expect(schema.description).toMatch(/registeredOn is on or after dateOfDeath/);
});
