// HubSpot answers that parse as JSON but are not what the API documents (a schema in schemas.ts
// refuses them): a coded, pass-level error naming the call and the first thing wrong, never a raw
// ZodError that would end the process as a bug.
import { ZodError } from 'zod';
import { DealbridgeError } from '../errors/index.js';

export function badAnswer(what: string, err: ZodError): DealbridgeError {
  const issue = err.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return new DealbridgeError(
    'HUBSPOT_BAD_RESPONSE',
    `${what}: HubSpot's answer is not what its API documents${where}: ${issue?.message ?? err.message}`,
    { cause: err },
  );
}

/** Runs `fn`, turning a schema's refusal of an answer into HUBSPOT_BAD_RESPONSE. */
export async function readingAnswers<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ZodError) throw badAnswer(what, err);
    throw err;
  }
}

/** The synchronous form, for pages parsed inside generators. */
export function readAnswer<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ZodError) throw badAnswer(what, err);
    throw err;
  }
}
