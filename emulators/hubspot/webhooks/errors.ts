// HubSpot's error body (spec `components.schemas.Error`): status, message, correlationId, category.
import { randomUUID } from 'node:crypto';
import type { WebhookResponse } from './types.js';

export function errorResponse(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): WebhookResponse {
  return { status, body: { status: 'error', message, correlationId: randomUUID(), category, ...extra } };
}

export const notFound = (message: string): WebhookResponse => errorResponse(404, 'OBJECT_NOT_FOUND', message);

export const validationError = (message: string, errors?: unknown[]): WebhookResponse =>
  errorResponse(400, 'VALIDATION_ERROR', message, errors ? { errors } : {});
