import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DecimalInteger } from './schemas';

/** `?limit=` (1..500, default 50) and `?offset=`, decimal integers; anything else (`0x10`, ` 5`, an empty value) is a 400. */
export const PaginationSchema = z.object({
  limit: DecimalInteger.pipe(z.number().min(1).max(500)).prefault('50').describe('Page size, 1..500.'),
  offset: DecimalInteger.prefault('0').describe('Number of items to skip.'),
});

export type Pagination = z.infer<typeof PaginationSchema>;
export class PaginationDto extends createZodDto(PaginationSchema) {}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** The answer of a list route, named `<id>` in the OpenAPI document. */
export function pageSchema<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(item: T, id: string, extra?: E, description = 'One page of a list; ask again with offset + limit for the next.') {
  return z
    .object({
      ...(extra as E),
      items: z.array(item),
      total: z.number().int().min(0).describe('How many items match, on all pages.'),
      limit: z.number().int().min(1).describe('The page size asked for.'),
      offset: z.number().int().min(0).describe('How many items were skipped.'),
    })
    .meta({ id, description });
}
