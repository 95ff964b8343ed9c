import { classSchemas } from '@lgsp/contracts';
import { openApi30Schema } from './openapi-schema';

describe('a class schema in OpenAPI 3.0', () => {
  it('states an exclusive bound the 3.0 way, beside its inclusive one', () => {
    expect(openApi30Schema({ type: 'number', exclusiveMinimum: 0 })).toEqual({
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
    });
    expect(openApi30Schema({ type: 'number', exclusiveMaximum: 10, maximum: 20 })).toEqual({
      type: 'number',
      maximum: 10,
      exclusiveMaximum: true,
    });
    // The inclusive bound is the tighter: the exclusive one adds nothing.
    expect(openApi30Schema({ type: 'number', exclusiveMinimum: 0, minimum: 1 })).toEqual({
      type: 'number',
      minimum: 1,
    });
  });

  it('leaves out "not null", which 3.0 cannot say and assumes, and says nullable as 3.0 does', () => {
    expect(openApi30Schema({ not: { type: 'null' }, description: 'd' })).toEqual({
      description: 'd',
    });
    expect(openApi30Schema({ type: ['string', 'null'] })).toEqual({
      type: 'string',
      nullable: true,
    });
    expect(openApi30Schema({ not: { type: 'string' } })).toEqual({ not: { type: 'string' } });
  });

  it('turns a const into a one-value enum', () => {
    expect(openApi30Schema({ const: 'MATCH' })).toEqual({ enum: ['MATCH'] });
  });

  it('rewrites nested schemas, and leaves enums and property names alone', () => {
    const schema = {
      type: 'object',
      properties: {
        not: { type: 'integer', exclusiveMinimum: 0 },
        list: { type: 'array', items: { const: 1 } },
      },
      anyOf: [{ properties: { const: { enum: [{ const: 2 }] } } }],
    };
    expect(openApi30Schema(schema)).toEqual({
      type: 'object',
      properties: {
        not: { type: 'integer', minimum: 0, exclusiveMinimum: true },
        list: { type: 'array', items: { enum: [1] } },
      },
      anyOf: [{ properties: { const: { enum: [{ const: 2 }] } } }],
    });
  });

  it('leaves in no payload class anything 3.0 does not have: no null type, no numeric exclusive bound', () => {
    const text = JSON.stringify(
      Object.values(classSchemas('#/components/schemas/')).map((s) => openApi30Schema(s)),
    );
    expect(text).not.toContain('"null"');
    expect(text).not.toMatch(/"exclusive(Minimum|Maximum)":-?\d/);
    expect(text).not.toContain('"const"');
  });
});
