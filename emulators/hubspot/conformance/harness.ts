// Shared set-up for the conformance scenario: one emulator, one validating client, admin calls,
// and a per-step check that no unexplained violation appeared.
import assert from 'node:assert/strict';
import { ConformanceClient } from './recorder.js';
import { OpenApiValidator } from './openapi-validator.js';
import { loadSpecs } from './spec-files.js';
import { formatViolation, partition } from './allow-list.js';

export interface Harness {
  c: ConformanceClient;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are read ad hoc
  admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Asserts the violations added since the last call are all allow-listed. */
  expectConformant(): void;
  allowedCounts(): Map<string, number>;
}

let cachedValidator: OpenApiValidator | undefined;

export function validator(): OpenApiValidator {
  cachedValidator ??= new OpenApiValidator(loadSpecs());
  return cachedValidator;
}

export function harness(url: string, token: string): Harness {
  const c = new ConformanceClient(url, token, validator());
  let seen = 0;
  return {
    c,
    async admin(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    expectConformant() {
      const fresh = c.violations.slice(seen);
      seen = c.violations.length;
      const { unexplained } = partition(fresh);
      assert.deepEqual(unexplained.map(formatViolation), [], 'violations of HubSpot OpenAPI specs');
    },
    allowedCounts: () => partition(c.violations).allowed,
  };
}
