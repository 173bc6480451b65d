import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage, IS_ISO8601, ValidationTypes } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { INSTANT_PATTERN, responseSchemas, sharedSchemas } from './schemas.js';

type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };

/** Request schemas from the class-validator decorators that validate the requests. */
function requestSchemas(): Schemas {
  return validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    // Nested DTOs (`@ValidateNested() @Type(() => X)`) are referenced by their class, not `Array`.
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
    additionalConverters: {
      // Requiredness is the schema's `required` list; `not: {type: 'null'}` is not OpenAPI 3.0.
      [ValidationTypes.IS_DEFINED]: {},
      // One string schema: `oneOf` date | date-time overlaps, so strict validators refuse every value.
      [IS_ISO8601]: {
        type: 'string',
        pattern: INSTANT_PATTERN,
        description: 'A date (2014-03-01) or an ISO 8601 instant',
      },
    },
  }) as Schemas;
}

/**
 * The OpenAPI document: paths from the controllers (@nestjs/swagger), request
 * schemas generated from the same class-validator decorators that validate
 * requests (so the document cannot drift from the validation), and the read
 * routes' answers (./schemas.ts). Security: bearer keys on every route that
 * carries `@Roles` (with its 401/403); the others are public. Every route can
 * answer 429 when rate limiting is on.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Engagement Ledger')
    .setDescription(
      'Event-sourced ledger of public and patient involvement. Commands answer ' +
        '`201 {id, revision, position, recordedAt}`; errors are `{code, message, details}`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An API key of a role' },
      'bearer',
    )
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: {
      ...(document.components?.schemas ?? {}),
      ...requestSchemas(),
      ...sharedSchemas,
      ...responseSchemas,
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (operation) completeOperation(operation);
    }
  }
  return document;
}

/** What every operation can answer whatever its route: public or not, and the rate limit. */
function completeOperation(operation: Operation): void {
  if (!operation.security || operation.security.length === 0) {
    operation.security = []; // no @Roles: public (health, the docs)
  }
  operation.responses['429'] ??= {
    description:
      operation.security.length === 0
        ? '`too_many_requests`: the rate limit (LEDGER_RATE_LIMIT a minute) was reached'
        : '`too_many_requests`: the rate limit (LEDGER_RATE_LIMIT a minute) was reached; `too_many_failed_authentications`: this address failed to authenticate LEDGER_AUTH_FAILURE_LIMIT times this minute (see Retry-After)',
    content: errorContent,
  };
}

export function serveOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
