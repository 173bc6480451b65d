/**
 * The operations of an OpenAPI 3 document, as the fuzzer needs them: every
 * path and method with its parameters and request body schema (references
 * resolved lazily through `resolve`). Nothing here knows the ledger's routes:
 * a route added to the API is fuzzed because the document lists it.
 */

export interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `POST /v1/groups/{id}/seats`: how reports name it. */
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  parameters: Parameter[];
  body?: Schema;
  /** Needs a key (the document's `security` is not empty). */
  secured: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface RawOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the document, in the document's order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const raw = item[method]!;
      const upper = method.toUpperCase() as Operation['method'];
      return {
        key: `${upper} ${path}`,
        method: upper,
        path,
        parameters: (raw.parameters ?? [])
          .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
          .map((p) => ({
            name: p.name,
            in: p.in as Parameter['in'],
            required: p.required === true,
            schema: p.schema ?? { type: 'string' },
          })),
        body: raw.requestBody?.content?.['application/json']?.schema,
        secured: raw.security === undefined || raw.security.length > 0,
      };
    }),
  );
}

/** Follows `#/components/schemas/X` references. */
export function resolver(doc: OpenApiDocument): (schema: Schema) => Schema {
  const schemas = doc.components?.schemas ?? {};
  return function resolve(schema) {
    let current = schema;
    for (let hops = 0; current.$ref && hops < 20; hops++) {
      const target = schemas[current.$ref.split('/').pop()!];
      if (!target) break;
      current = target;
    }
    return current;
  };
}
