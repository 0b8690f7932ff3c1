import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Text } from '../common/schemas';
import { FormToken } from './web.schemas';

/**
 * The board's forms, as posted: flat strings, bounded. What they mean is checked by the API's own
 * schemas (DecisionProposalSchema, TakePositionSchema) in the controller, so that a refusal is shown on
 * the form rather than as an error page.
 */
const Field = (max: number) => Text.max(max);

export const DecisionFormSchema = z
  .object({
    ...FormToken,
    decision: Field(20),
    rationale: Field(6000),
    closesAt: Field(40).optional(),
    blind: z.literal('on').optional(),
  })
  .strict();
export type DecisionForm = z.infer<typeof DecisionFormSchema>;
export class DecisionFormDto extends createZodDto(DecisionFormSchema) {}

export const PositionFormSchema = z.object({ ...FormToken, position: Field(20).optional(), reason: Field(6000).optional() }).strict();
export type PositionForm = z.infer<typeof PositionFormSchema>;
export class PositionFormDto extends createZodDto(PositionFormSchema) {}

/** A `datetime-local` field's value has no offset: the form says it is UTC. */
export function utcFromLocalField(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const local = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value);
  return local ? `${local[1]}${local[2] ?? ':00'}Z` : value;
}

/** An empty text field is no reason at all. */
export function blankAsAbsent(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
