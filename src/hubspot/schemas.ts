// HubSpot response shapes we rely on, checked before use (spec: specs/hubspot/*.json, test oracle).
import { z } from 'zod';

const props = z.record(z.string(), z.string().nullable());

export const objectSchema = z.object({
  id: z.string(),
  properties: props.default({}),
  archived: z.boolean().optional(),
});

/** A deal as `GET /crm/v3/objects/deals?archived=true` lists it. */
export const archivedDealSchema = z.object({ id: z.string(), archivedAt: z.string().optional() });

export const upsertResultSchema = objectSchema.extend({ new: z.boolean().optional() });

export const batchSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    status: z.string().optional(),
    results: z.array(item).default([]),
    errors: z.array(z.unknown()).optional(),
  });

export const ownerSchema = z.object({
  id: z.string(),
  email: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  archived: z.boolean().optional(),
});

export const pagingSchema = z.object({ next: z.object({ after: z.string() }).optional() }).optional();

export const stageSchema = z.object({
  id: z.string(),
  label: z.string(),
  displayOrder: z.number(),
  metadata: z.record(z.string(), z.string()).default({}),
});

export const pipelineSchema = z.object({
  id: z.string(),
  label: z.string(),
  displayOrder: z.number(),
  stages: z.array(stageSchema),
});

export const propertySchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string(),
  hasUniqueValue: z.boolean().optional(),
  options: z
    .array(
      z.object({
        label: z.string(),
        value: z.string(),
        displayOrder: z.number().optional(),
        hidden: z.boolean().optional(),
      }),
    )
    .optional(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).partial().optional(),
});

export const accountInfoSchema = z.object({
  portalId: z.number(),
  timeZone: z.string(),
  companyCurrency: z.string(),
  additionalCurrencies: z.array(z.string()).optional(),
});

export const assocReadSchema = z.object({
  from: z.object({ id: z.string() }),
  to: z.array(
    z.object({
      toObjectId: z.union([z.string(), z.number()]).transform(String),
      associationTypes: z.array(z.object({ typeId: z.number(), category: z.string().optional() })),
    }),
  ),
  paging: pagingSchema,
});
