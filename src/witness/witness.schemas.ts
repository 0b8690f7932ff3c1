import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const OriginHashParamSchema = z.object({
  originHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the origin, 64 lower-case hex digits').describe('SHA-256 of the log origin, lower-case hex.'),
});
export class OriginHashParamDto extends createZodDto(OriginHashParamSchema) {}
