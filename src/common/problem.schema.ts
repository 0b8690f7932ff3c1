import { z } from 'zod';

/** RFC 9457 problem details: every error answer has this shape, with `errors` on a validation failure. */
export const ProblemSchema = z
  .looseObject({
    type: z.string().describe('urn:lanterne:problem:<code>. Stable: branch on it, not on title or detail.'),
    title: z.string().describe('The HTTP reason phrase.'),
    status: z.number().int().describe('The HTTP status, repeated.'),
    detail: z.string().describe('What went wrong, for a person to read; never a personal value.'),
    instance: z.string().optional().describe('The template of the route that answered (e.g. /api/v1/subscribers/:id), never the path itself; absent when no route matched.'),
    errors: z
      .array(z.object({ path: z.string().describe('The field, dot-separated; empty for the whole body.'), message: z.string() }))
      .optional()
      .describe('On 400: each field that was refused, and why.'),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem; a problem may carry further members named in its detail (e.g. treeSize, from, to).' });
export type ProblemDocument = z.infer<typeof ProblemSchema>;
