import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Text } from '../common/schemas';
import { RETURN_CONDITIONS } from './cpe-loan.entity';
import { CPE_STATUSES } from './cpe.entity';
import { normaliseMac } from './mac';

const Mac = Text.max(64)
  .transform((text, ctx) => {
    const mac = normaliseMac(text);
    if (mac === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a MAC address such as aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF or aabb.ccdd.eeff' });
      return z.NEVER;
    }
    return mac;
  });

export const CreateCpeSchema = z
  .object({
    model: Text.trim().min(1).max(100),
    serial: Text.trim().min(1).max(100).describe('Unique in the inventory, whatever its case.'),
    macAddresses: z
      .array(Mac)
      .min(1)
      .max(16)
      .refine((macs) => new Set(macs).size === macs.length, 'a MAC address is listed twice')
      .describe('Stored in lower-case colon form; each is unique in the inventory.'),
  })
  .strict();
export type CreateCpeInput = z.infer<typeof CreateCpeSchema>;
export class CreateCpeDto extends createZodDto(CreateCpeSchema) {}

export const AssignCpeSchema = z.object({ subscriptionId: z.uuid() }).strict();
export class AssignCpeDto extends createZodDto(AssignCpeSchema) {}

export const ReturnCpeSchema = z.object({ condition: z.enum(RETURN_CONDITIONS).describe('broken takes the device out of stock.') }).strict();
export class ReturnCpeDto extends createZodDto(ReturnCpeSchema) {}

export const ListCpeSchema = PaginationSchema.extend({ status: z.enum(CPE_STATUSES).optional() }).strict();
export type ListCpeQuery = z.infer<typeof ListCpeSchema>;
export class ListCpeDto extends createZodDto(ListCpeSchema) {}

export const CpeViewSchema = z.object({
  id: z.uuid(),
  model: z.string(),
  serial: z.string(),
  macAddresses: z.array(z.string()),
  status: z.enum(CPE_STATUSES),
  subscriptionId: z.uuid().nullable().describe('Who has it now.'),
  assignedAt: z.string().nullable(),
  toCollect: z.boolean().describe('Its subscription has ended while the device is still out.'),
});
export class CpeViewDto extends createZodDto(CpeViewSchema) {}

export const LoanViewSchema = z.object({
  subscriptionId: z.uuid(),
  assignedAt: z.string(),
  returnedAt: z.string().nullable(),
  condition: z.enum(RETURN_CONDITIONS).nullable(),
  subscriptionEndedAt: z.string().nullable(),
});
export class LoanPageDto extends createZodDto(pageSchema(LoanViewSchema)) {}
