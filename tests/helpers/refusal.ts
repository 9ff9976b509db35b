import { isDomainError } from '../../src/domain/errors.js';

/** The code of the DomainError a use case refuses with; fails the test if it succeeds or crashes otherwise. */
export async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}
