/**
 * Problem documents in the request's language: Spanish unless the client prefers English
 * (Accept-Language, q-values honoured), the same codes and fields in both.
 */
import { describe, expect, it } from 'vitest';
import { fieldIssue } from '#domain/issues.ts';
import { HttpProblem, internalProblem, localeOf, validationProblem } from '#http/problem.ts';

describe('localeOf: the language of the answer', () => {
  it.each([
    [undefined, 'es'],
    ['', 'es'],
    ['es', 'es'],
    ['es-CO', 'es'],
    ['en', 'en'],
    ['EN-gb', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['es-CO,es;q=0.9,en;q=0.8', 'es'],
    ['en;q=0.5, es;q=0.8', 'es'],
    ['es;q=0.5, en;q=0.8', 'en'],
    ['en;q=0.8, es', 'es'],
    // A language the API does not speak, then English: English.
    ['fr-FR, fr;q=0.9, en;q=0.1', 'en'],
    // Only languages it does not speak: Spanish, the citizens' language.
    ['fr, de', 'es'],
    ['*', 'es'],
    ['en;q=0.9, *;q=1', 'es'],
    // q=0 means "not acceptable"; a malformed q-value is ignored.
    ['en;q=0', 'es'],
    ['en;q=abc', 'es'],
    ['en ; q=0.7 , es ; q=0.6', 'en'],
  ] as const)('%j → %s', (header, locale) => {
    expect(localeOf(header)).toBe(locale);
  });
});

describe('HttpProblem.toProblem', () => {
  const problem = new HttpProblem(
    422,
    { es: 'Revise la fecha', en: 'check the date' },
    { errors: [fieldIssue('newDueDate', 'too_late', 'es posterior al máximo', 'is later than the maximum')] },
  );

  it('renders the title, the detail and each error’s message in one language, code and field unchanged', () => {
    expect(problem.toProblem('es', '/v1/x', 'c-1')).toEqual({
      type: 'urn:urna:problem:validation',
      title: 'Solicitud no válida',
      status: 422,
      detail: 'Revise la fecha',
      instance: '/v1/x',
      errors: [{ field: 'newDueDate', code: 'too_late', message: 'newDueDate: es posterior al máximo' }],
      correlationId: 'c-1',
    });
    expect(problem.toProblem('en')).toMatchObject({
      title: 'Invalid request',
      detail: 'check the date',
      errors: [{ field: 'newDueDate', code: 'too_late', message: 'newDueDate: is later than the maximum' }],
    });
    // Whoever logs the error reads English.
    expect(problem.message).toBe('check the date');
  });

  it('validationProblem names the first field and counts the others', () => {
    const p = validationProblem([
      fieldIssue('subject', 'required', 'es obligatorio', 'is required'),
      fieldIssue('kind', 'not_allowed', 'debe ser uno de: a, b', 'must be one of: a, b'),
    ]);
    expect(p.toProblem('es').detail).toBe('Revise la solicitud: subject: es obligatorio (y 1 más)');
    expect(p.toProblem('en').detail).toBe('Check the request: subject: is required (and 1 more)');
  });

  it('words the 500 in the asked language, with nothing of the error', () => {
    expect(internalProblem('es', 'c-2')).toMatchObject({ title: 'Error interno', correlationId: 'c-2' });
    expect(internalProblem('en', 'c-2').detail).toMatch(/^An unexpected error occurred/);
  });
});
