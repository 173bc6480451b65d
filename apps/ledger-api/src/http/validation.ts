import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

interface FieldError {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own: FieldError[] = error.constraints
      ? [{ field, messages: Object.values(error.constraints) }]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Validate at the edge: unknown fields refused, types transformed, every field error listed. */
export const ledgerValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) =>
    new BadRequestException({
      code: 'validation_failed',
      message: 'The request is not valid',
      details: { fields: flatten(errors) },
    }),
});
