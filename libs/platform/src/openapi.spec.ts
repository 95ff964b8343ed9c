import { referencedSchemas } from './openapi';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('referencedSchemas: what a service documents', () => {
  it('keeps the schemas its routes refer to, through other schemas too, and drops the rest', () => {
    const paths = {
      '/births': {
        post: {
          requestBody: { content: { 'application/json': { schema: ref('BirthRequest') } } },
          responses: { 201: { content: { 'application/json': { schema: ref('Answer') } } } },
        },
      },
    };
    const schemas = {
      BirthRequest: { properties: { mother: ref('Parent'), children: { items: ref('Child') } } },
      Parent: { properties: { self: ref('Parent') } }, // a cycle ends
      Child: { type: 'object' },
      Answer: { type: 'object' },
      HubConfig: { properties: { KAFKA_SASL_PASSWORD: { type: 'string' } } },
      Unused: { properties: { child: ref('Child') } },
    };
    expect(Object.keys(referencedSchemas(paths, schemas)).sort()).toEqual([
      'Answer',
      'BirthRequest',
      'Child',
      'Parent',
    ]);
  });

  it('ignores a reference to a schema it does not have', () => {
    expect(referencedSchemas({ get: ref('Missing') }, { Other: {} })).toEqual({});
  });
});
