// Faults that change a real answer rather than replace it: a batch answered in part (207 naming the
// refused inputs by their index in the request), a batch whose answer leaves some results out, and
// an answer cut off after some bytes. The route still runs for the inputs it is given, so what the
// portal holds afterwards is what a client would find at HubSpot after such an answer.
import { isRecord, type Reply } from './http.js';

export interface FailInputs {
  /** Inputs whose JSON contains this text are refused. */
  match: string;
  category?: string;
  message?: string;
}

const includes = (v: unknown, text: string) => JSON.stringify(v).includes(text);

/** The request body without the inputs `spec` refuses, and their indexes in the request. */
export function withoutInputs(body: unknown, match: string): { body: unknown; refused: number[] } {
  if (!isRecord(body) || !Array.isArray(body.inputs)) return { body, refused: [] };
  const refused: number[] = [];
  const kept = body.inputs.filter((input, i) => {
    if (!includes(input, match)) return true;
    refused.push(i);
    return false;
  });
  return { body: { ...body, inputs: kept }, refused };
}

/** One 207 error per refused input, named by its index in the request (`context.index`). */
export function partialReply(reply: Reply | undefined, refused: number[], spec: FailInputs): Reply {
  const base = reply && isRecord(reply.body) ? reply.body : { status: 'COMPLETE', results: [] };
  const earlier = Array.isArray(base.errors) ? base.errors : [];
  const errors = [
    ...earlier,
    ...refused.map((i) => ({
      status: 'error',
      category: spec.category ?? 'VALIDATION_ERROR',
      message: spec.message ?? `Input ${i} was refused (emulated partial failure)`,
      context: { index: [String(i)] },
    })),
  ];
  return {
    ...reply,
    status: 207,
    body: {
      ...base,
      results: Array.isArray(base.results) ? base.results : [],
      numErrors: errors.length,
      errors,
    },
  };
}

/** The answer without the results whose JSON contains `match`; no error names them. */
export function withoutResults(reply: Reply, match: string): Reply {
  if (!isRecord(reply.body) || !Array.isArray(reply.body.results)) return reply;
  return {
    ...reply,
    body: { ...reply.body, results: reply.body.results.filter((r) => !includes(r, match)) },
  };
}
