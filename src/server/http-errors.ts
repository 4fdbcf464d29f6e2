// How the API refuses a request: one shape, `{ error, message }` plus `field`, `reason` and `fix`
// for a refused body or path, with the code and the status taken from the error catalogue
// (docs/errors.md, "HTTP API errors"), so a code the server sends is always one the docs explain.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { httpErrorCatalogue, type HttpErrorCode } from '../errors/index.js';
import { publicError } from './redact.js';

export interface RefusedField {
  /** The body field (`value`, `recordKeys[3]`) or path parameter (`id`) at fault. */
  field: string;
  reason: string;
}

export function sendError(
  reply: FastifyReply,
  code: HttpErrorCode,
  message: string,
  refused?: RefusedField,
  status = httpErrorCatalogue[code].status,
) {
  const body = refused
    ? { error: code, message, ...refused, fix: httpErrorCatalogue[code].fix }
    : { error: code, message };
  return reply.code(status).send(body);
}

/** A refused field, from the route schema's first failed rule (Ajv reports one: allErrors is off). */
export function refusedField(err: FastifyError): RefusedField | undefined {
  const first = err.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: unknown }).missingProperty;
  const path = first.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
  if (typeof missing === 'string')
    return { field: path ? `${path}.${missing}` : missing, reason: 'is required' };
  const reason = first.message ?? 'is not accepted';
  return { field: path || (err.validationContext ?? 'body'), reason };
}

/**
 * The one error handler: a request the route refuses (schema, body parser, size) is the caller's
 * `bad_request`; engine and adapter errors reach the page as { code, message } with secrets
 * removed, and their status says whether a remote system failed (502) or dealbridge did (500).
 */
export function registerErrorHandler(app: FastifyInstance, secrets: readonly string[]): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const refused = refusedField(err);
    if (refused) return sendError(reply, 'bad_request', `${refused.field}: ${refused.reason}`, refused);
    const status = err.statusCode;
    if (status && status >= 400 && status < 500)
      return sendError(reply, 'bad_request', publicError(err, secrets).message, undefined, status);
    const pub = publicError(err, secrets);
    // The request's logger: the line carries its request id.
    req.log.error({ code: pub.code, message: pub.message }, 'request failed');
    return reply.code(pub.code === 'INTERNAL' ? 500 : 502).send({ error: pub.code, message: pub.message });
  });
}
