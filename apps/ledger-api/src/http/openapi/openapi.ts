import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

/**
 * The OpenAPI document: paths from the controllers (@nestjs/swagger), and
 * request schemas generated from the same class-validator decorators that
 * validate requests, so the document cannot drift from the validation.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Engagement Ledger')
    .setDescription(
      'Event-sourced ledger of public and patient involvement. Commands answer ' +
        '`201 {id, revision, position, recordedAt}`; errors are `{code, message, details}`.',
    )
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    refPointerPrefix: '#/components/schemas/',
  });
  document.components = {
    ...document.components,
    schemas: {
      ...(document.components?.schemas ?? {}),
      ...(schemas as Schemas),
      ...sharedSchemas,
    },
  };
  return document;
}

type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

const sharedSchemas: Schemas = {
  ErrorBody: {
    type: 'object',
    required: ['code', 'message', 'details'],
    properties: {
      code: { type: 'string', description: 'Machine-readable, stable', example: 'lay_seats_full' },
      message: { type: 'string' },
      details: { type: 'object', additionalProperties: true },
    },
  },
  CommandAccepted: {
    type: 'object',
    required: ['id', 'revision', 'position', 'recordedAt'],
    properties: {
      id: { type: 'string', description: 'Id of the thing the command created or changed' },
      revision: { type: 'integer', description: "The stream's revision now: send as If-Match" },
      position: {
        type: 'integer',
        description: 'Position in $all: pass as minPosition to read your write',
      },
      recordedAt: {
        type: 'string',
        format: 'date-time',
        description: 'When the ledger recorded the write (ms): pass as knownAt to see it',
      },
    },
  },
};

export function serveOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
