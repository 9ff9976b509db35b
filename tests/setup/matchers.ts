/**
 * The one way tests assert a refusal: `await expect(promise).rejects.toBeDomainError(code, params?)`.
 * It checks the type, the stable code and (a subset of) the parameters, never the wording.
 */
import { expect } from 'vitest';
import { DomainError, type ErrorCode } from '../../src/domain/errors.js';

expect.extend({
  toBeDomainError(received: unknown, code: ErrorCode, params?: Record<string, unknown>) {
    const isError = received instanceof DomainError;
    const codeMatches = isError && received.code === code;
    const paramsMatch = !params || (isError && this.equals(received.params, expect.objectContaining(params)));
    const pass = codeMatches && paramsMatch;
    const shown = isError
      ? `DomainError ${received.code} ${JSON.stringify(received.params)}`
      : `${this.utils.printReceived(received)}`;
    return {
      pass,
      message: () =>
        `expected ${shown} ${pass ? 'not ' : ''}to be DomainError ${code}${params ? ` ${JSON.stringify(params)}` : ''}`,
    };
  },
});

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's own declaration
  interface Assertion<T = any> {
    toBeDomainError(code: ErrorCode, params?: Record<string, unknown>): T;
  }
}
