import { ValidateBy, type ValidationOptions } from 'class-validator';

// class-validator's MaxLength discounts variation selectors (U+FE0F), but MySQL's VARCHAR(n)
// counts every code point, so "❤️"×60 would pass it and then overflow a VARCHAR(100).

/** At most `max` Unicode code points: exactly what VARCHAR(max) holds on MySQL/MariaDB. */
export function MaxLength(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxCodePoints',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || [...value].length <= max,
        defaultMessage: () => `must be at most ${max} characters`,
      },
    },
    options,
  );
}

/** At most `max` bytes of UTF-8: what a TEXT column holds on MySQL/MariaDB (65,535). */
export function MaxBytes(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxBytes',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || Buffer.byteLength(value, 'utf8') <= max,
        defaultMessage: () => `must be at most ${max} bytes of UTF-8`,
      },
    },
    options,
  );
}

/** A required text that must contain something besides white space. */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value.trim().length > 0,
        defaultMessage: () => 'must not be empty or blank',
      },
    },
    options,
  );
}
