import { mapSchema } from '@lgsp/contracts';

type Schema = Record<string, unknown>;

/**
 * A class's JSON Schema (draft-07, as `classSchemas` writes it) in the dialect of the
 * OpenAPI 3.0 documents the services serve, so that strict readers (swagger-parser, code
 * generators) take it as the validators mean it:
 * - a numeric `exclusiveMinimum`/`exclusiveMaximum` is 3.0's boolean beside `minimum`/`maximum`;
 * - null: 3.0 admits it only where `nullable: true` says so, so `not: {type: 'null'}` goes
 *   (it is the default) and a list of types with `null` becomes `nullable: true`;
 * - `const` is a one-value `enum`.
 */
export function openApi30Schema(schema: Schema): Schema {
  return mapSchema(schema, (s) => nullable(bounds(constant(s))));
}

function bounds(s: Schema): Schema {
  const out = { ...s };
  for (const [exclusive, inclusive, tighter] of [
    ['exclusiveMinimum', 'minimum', Math.max],
    ['exclusiveMaximum', 'maximum', Math.min],
  ] as const) {
    const limit = out[exclusive];
    if (typeof limit !== 'number') continue;
    const other = out[inclusive];
    if (typeof other === 'number' && tighter(other, limit) === other && other !== limit) {
      delete out[exclusive]; // the inclusive bound is the tighter one
    } else {
      out[inclusive] = limit;
      out[exclusive] = true;
    }
  }
  return out;
}

function nullable(s: Schema): Schema {
  const out = { ...s };
  const not = out.not as Schema | undefined;
  if (not && Object.keys(not).length === 1 && not.type === 'null') delete out.not;
  if (Array.isArray(out.type) && out.type.includes('null')) {
    const types = (out.type as string[]).filter((t) => t !== 'null');
    delete out.type;
    if (types.length === 1) out.type = types[0];
    else if (types.length > 1)
      out.allOf = [...((out.allOf as unknown[]) ?? []), { anyOf: types.map((type) => ({ type })) }];
    out.nullable = true;
  }
  return out;
}

function constant(s: Schema): Schema {
  if (!('const' in s)) return s;
  const { const: value, ...out } = s;
  return { ...out, enum: [value] };
}
