import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Text, Timestamp } from '../common/schemas';
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

const CpeFields = {
  id: z.uuid(),
  model: z.string(),
  serial: z.string(),
  macAddresses: z.array(z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)).min(1).describe('Lower-case colon form, as registered.'),
  status: z.enum(CPE_STATUSES),
  subscriptionId: z.uuid().nullable().describe('The subscription it is lent to now; null in stock or broken.'),
  assignedAt: Timestamp.nullable().describe('When the current loan began; null when not lent out.'),
  toCollect: z.boolean().describe('Its subscription has ended while the device is still out.'),
};
export const CpeViewSchema = z.object(CpeFields).meta({ id: 'Cpe', description: 'A device of the inventory and who has it now.' });
export type CpeView = z.infer<typeof CpeViewSchema>;
export const CpePageSchema = pageSchema(CpeViewSchema, 'CpePage');

export const CpeToCollectViewSchema = z
  .object({ ...CpeFields, subscriptionEndedAt: Timestamp.describe('When the subscription it is lent to ended.') })
  .meta({ id: 'CpeToCollect', description: 'A device still lent to a subscription that has ended.' });
export type CpeToCollectView = z.infer<typeof CpeToCollectViewSchema>;
export const CpeToCollectPageSchema = pageSchema(CpeToCollectViewSchema, 'CpeToCollectPage');

export const LoanViewSchema = z
  .object({
    subscriptionId: z.uuid(),
    assignedAt: Timestamp,
    returnedAt: Timestamp.nullable().describe('Null while the device is still out.'),
    condition: z.enum(RETURN_CONDITIONS).nullable().describe('How it came back; null while still out.'),
    subscriptionEndedAt: Timestamp.nullable().describe('Set when the subscription ended while the device was out.'),
  })
  .meta({ id: 'Loan', description: 'One loan of a device to a subscription.' });
export type LoanView = z.infer<typeof LoanViewSchema>;
export const LoanPageSchema = pageSchema(LoanViewSchema, 'LoanPage');
