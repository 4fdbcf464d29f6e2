// Divergences between HubSpot's OpenAPI documents and HubSpot's documented (or SDK-observed)
// behaviour that the conformance tests accept. Each entry says why; docs/emulators/hubspot-
// conformance.md lists the same ids. Anything not matched here fails the tests.
import type { Violation } from './openapi-validator.js';

export interface AllowedDivergence {
  id: string;
  justification: string;
  matches(v: Violation): boolean;
}

const isSearch = (v: Violation) => v.template.endsWith('/search');

export const ALLOWED_DIVERGENCES: AllowedDivergence[] = [
  {
    id: 'search-sorts-objects',
    justification:
      "PublicObjectSearchRequest.sorts is typed array<string>, but HubSpot's search docs and @hubspot/api-client send objects {propertyName, direction} (API-FACTS §4: Prism flags `sorts.0 must be string`).",
    matches: (v) =>
      v.direction === 'request' &&
      isSearch(v) &&
      /^body\/sorts\/\d+$/.test(v.where) &&
      v.keyword === 'type' &&
      typeof v.value === 'object' &&
      v.value !== null &&
      'propertyName' in v.value,
  },
  {
    id: 'search-required-fields',
    justification:
      'PublicObjectSearchRequest marks after, filterGroups, limit, properties and sorts required; the search guide shows requests with any subset (a search with only filterGroups is the documented minimal form), and HubSpot accepts them.',
    matches: (v) =>
      v.direction === 'request' &&
      isSearch(v) &&
      v.where === 'body' &&
      v.keyword === 'required' &&
      /after|filterGroups|limit|properties|sorts|query/.test(v.message),
  },
  {
    id: 'rate-limit-body',
    justification:
      "HubSpot's usage guidelines document the 429 body as {status, message, errorType: RATE_LIMIT, correlationId, policyName, requestId} without `category`; @hubspot/api-client's retry keys on exactly that body, so the emulator sends it rather than the spec's Error.",
    matches: (v) =>
      v.direction === 'response' &&
      v.status === 429 &&
      v.keyword === 'required' &&
      v.message.includes('category'),
  },
  {
    id: 'null-property-values',
    justification:
      'Requested properties without a value come back as null (HubSpot does this; deals.v3 at 2025-08-01 declared property values nullable, later specs dropped the flag). Only `properties.<name>` = null is accepted.',
    matches: (v) =>
      v.direction === 'response' &&
      v.keyword === 'type' &&
      /(^|\/)properties\/[^/]+$/.test(v.where) &&
      v.value === null,
  },
  {
    id: 'association-label-null',
    justification:
      'Unlabeled associations carry `label: null` in v4 responses and in the labels list (HubSpot\'s v4 guide examples and client code written against the live API show {"category":"HUBSPOT_DEFINED","typeId":3,"label":null}); AssociationSpecWithLabel types label as a non-nullable string.',
    matches: (v) =>
      v.direction === 'response' &&
      v.value === null &&
      (/associationTypes\/\d+\/label$/.test(v.where) ||
        (v.template.endsWith('/labels') && /^body\/results\/\d+\/label$/.test(v.where))),
  },
];

export function partition(violations: Violation[]): {
  unexplained: Violation[];
  allowed: Map<string, number>;
} {
  const allowed = new Map<string, number>();
  const unexplained: Violation[] = [];
  for (const v of violations) {
    const rule = ALLOWED_DIVERGENCES.find((r) => r.matches(v));
    if (rule) allowed.set(rule.id, (allowed.get(rule.id) ?? 0) + 1);
    else unexplained.push(v);
  }
  return { unexplained, allowed };
}

export function formatViolation(v: Violation): string {
  return `${v.direction} ${v.method} ${v.path}${v.status ? ` → ${v.status}` : ''} [${v.spec} ${v.template}] ${v.where}: ${v.keyword} ${v.message}`;
}
