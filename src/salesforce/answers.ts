// Salesforce answers that parse as JSON but are not what the API documents (a schema in schemas.ts
// refuses a page or a row): a coded, pass-level error naming the adapter call and the first thing
// wrong, never a raw ZodError that would end the process as a bug. Every payload the adapter reads
// goes through a schema, so one wrapper around its methods covers them all.
import { ZodError } from 'zod';
import { DealbridgeError } from '../errors/index.js';

export function badAnswer(what: string, err: ZodError): DealbridgeError {
  const issue = err.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return new DealbridgeError(
    'SALESFORCE_BAD_RESPONSE',
    `${what}: Salesforce's answer is not what its API documents${where}: ${issue?.message ?? err.message}`,
    { cause: err },
  );
}

const translate = (what: string, err: unknown) => (err instanceof ZodError ? badAnswer(what, err) : err);

async function* iterating<T>(what: string, source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw translate(what, err);
  }
}

function wrap(what: string, result: unknown): unknown {
  if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(translate(what, err)));
  if (typeof result === 'object' && result !== null && Symbol.asyncIterator in result)
    return iterating(what, result as AsyncIterable<unknown>);
  return result;
}

/** The adapter, each method's result (a promise or an async iterable) read through `translate`. */
export function readingAnswers<T extends object>(adapter: T): T {
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        wrap(`Salesforce ${String(prop)}`, (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}
