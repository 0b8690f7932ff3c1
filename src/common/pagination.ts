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

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
}
