// Salesforce's error shapes: REST errors are an array of {message, errorCode, fields?}; per-record
// results in sObject Collections use {statusCode, message, fields}.

export interface SfError {
  errorCode: string;
  message: string;
  fields?: string[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: SfError[],
  ) {
    super(errors[0]?.message ?? `HTTP ${status}`);
  }
}

export function apiError(status: number, errorCode: string, message: string, fields?: string[]): ApiError {
  return new ApiError(status, [fields ? { message, errorCode, fields } : { message, errorCode }]);
}

/** A record-level failure (validation): 400 for single-record calls, a SaveResult in collections. */
export class RecordError extends Error {
  constructor(readonly errors: SfError[]) {
    super(errors[0]?.message ?? 'record error');
  }
}

export function recordError(errorCode: string, message: string, fields: string[] = []): RecordError {
  return new RecordError([{ errorCode, message, fields }]);
}

/** SaveResult error entry as sObject Collections answer it. */
export function toSaveError(e: SfError): { statusCode: string; message: string; fields: string[] } {
  return { statusCode: e.errorCode, message: e.message, fields: e.fields ?? [] };
}
