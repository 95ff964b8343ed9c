import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { classSchemas } from '@lgsp/contracts';
import { openApi30Schema } from './openapi-schema';

/**
 * OpenAPI for a service at `/docs` (UI) and `/docs-json`. Nest finds the routes and the
 * body classes; the classes' schemas come from their class-validator rules, so the
 * documentation says exactly what validation accepts, in OpenAPI 3.0's dialect.
 */
export function serveOpenApi(app: INestApplication, name: string): void {
  const config = new DocumentBuilder()
    .setTitle(`LGSP ${name}`)
    .setDescription(
      `HTTP API of the ${name} service. Errors are { code, message, correlationId, errors? }.`,
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = Object.fromEntries(
    Object.entries(classSchemas('#/components/schemas/')).map(([n, s]) => [n, openApi30Schema(s)]),
  );
  type Schemas = NonNullable<typeof document.components>['schemas'];
  document.components = {
    ...document.components,
    schemas: referencedSchemas(document.paths, {
      ...document.components?.schemas,
      ...(schemas as unknown as Schemas),
    }) as Schemas,
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/**
 * The schemas the routes refer to, directly or through other schemas. The class schemas come
 * from every class with validation rules the process has loaded — other services' settings
 * among them — and a service documents only what its own API takes and answers.
 */
export function referencedSchemas(
  paths: unknown,
  schemas: Record<string, unknown> = {},
): Record<string, unknown> {
  const kept = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const name =
        key === '$ref' && typeof value === 'string'
          ? /^#\/components\/schemas\/(.+)$/.exec(value)?.[1]
          : undefined;
      if (name === undefined) visit(value);
      else if (!kept.has(name) && name in schemas) {
        kept.add(name);
        visit(schemas[name]);
      }
    }
  };
  visit(paths);
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => kept.has(name)));
}

/**
 * OpenAPI pieces a batch answer shares with every service: an item's position, and its
 * refusal (code, message and field errors, as a 400 gives them for a whole body).
 */
export const BATCH_INDEX_SCHEMA = { type: 'integer', minimum: 0 } as const;
export const FIELD_ERRORS_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      field: { type: 'string' },
      messages: { type: 'array', items: { type: 'string' } },
    },
  },
} as const;
