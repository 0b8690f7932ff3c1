import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** `?limit=` (1..500, default 50) and `?offset=`; an out-of-range or non-numeric value is a 400. */
export const PaginationSchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Page size, 1..500.'),
  offset: z.coerce.number().int().min(0).default(0).describe('Number of items to skip.'),
});

export type Pagination = z.infer<typeof PaginationSchema>;
export class PaginationDto extends createZodDto(PaginationSchema) {}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
}
