import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ListCpeSchema, ReturnCpeSchema } from '../cpe/cpe.schemas';
import { StartVerificationSchema } from '../identity/identity.schemas';
import { AssignSchema } from '../ipam/ipam.schemas';
import { DecimalInteger, Rfc3339 } from '../common/schemas';
import { CreateSubscriberSchema, CreateSubscriptionSchema, ListSubscribersSchema } from '../subscribers/subscribers.schemas';
import { CARRIED_FAMILIES, TUNNEL_LAYERS } from '../tunnels/mtu';
import { MtuComputeSchema } from '../tunnels/tunnels.schemas';
import { FormToken } from './web.schemas';
import { ListRectificationsSchema, RefuseRectificationSchema } from '../privacy/rectifications.schemas';

/**
 * The technicians' forms, read by the API's own schemas: a form is flat strings, so each is shaped
 * into the API's body first. An empty field is a field left out (a browser sends every input).
 */
const withoutEmptyFields = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, field]) => field !== '')) : value), schema);

export const SubscriberSearchSchema = withoutEmptyFields(ListSubscribersSchema.strict());
export class SubscriberSearchDto extends createZodDto(SubscriberSearchSchema) {}

export const RegisterSubscriberFormSchema = withoutEmptyFields(z.object({ ...FormToken, ...CreateSubscriberSchema.shape }).strict());
export class RegisterSubscriberFormDto extends createZodDto(RegisterSubscriberFormSchema) {}

export const AddSubscriptionFormSchema = withoutEmptyFields(z.object({ ...FormToken, service: CreateSubscriptionSchema.shape.service }).strict());
export class AddSubscriptionFormDto extends createZodDto(AddSubscriptionFormSchema) {}

export const AssignFormSchema = withoutEmptyFields(z.object({ ...FormToken, poolId: AssignSchema.shape.poolId, prefix: AssignSchema.shape.prefix }).strict());
export class AssignFormDto extends createZodDto(AssignFormSchema) {}

/** How many layer selects the tunnel form offers: more than any usual stack (ipv6, udp, wireguard is three). */
export const TUNNEL_FORM_LAYERS = 8;
const layerFields = Object.fromEntries(Array.from({ length: TUNNEL_FORM_LAYERS }, (_, i) => [`layer${i + 1}`, z.enum(TUNNEL_LAYERS).optional()]));
const carryFields = Object.fromEntries(CARRIED_FAMILIES.map((family) => [`carry-${family}`, z.literal('on').optional()]));

export const TUNNEL_INTENTS = ['compute', 'store'] as const;

/** Layers as numbered selects (outermost first, empty ones skipped) and one checkbox per family, read as POST /mtu/compute reads its body. */
export const TunnelFormSchema = withoutEmptyFields(
  z
    .object({ ...FormToken, intent: z.enum(TUNNEL_INTENTS), underlayMtu: DecimalInteger, ...layerFields, ...carryFields })
    .strict()
    .transform((form) => {
      const fields = form as Record<string, unknown>;
      return {
        intent: form.intent,
        underlayMtu: form.underlayMtu,
        layers: Array.from({ length: TUNNEL_FORM_LAYERS }, (_, i) => fields[`layer${i + 1}`]).filter((layer) => layer !== undefined),
        carries: CARRIED_FAMILIES.filter((family) => fields[`carry-${family}`] === 'on'),
      };
    })
    .pipe(MtuComputeSchema.extend({ intent: z.enum(TUNNEL_INTENTS) }).strict()),
);
export type TunnelForm = z.infer<typeof TunnelFormSchema>;
export class TunnelFormDto extends createZodDto(TunnelFormSchema) {}

/** The address's fields flat in the form, gathered into the API's `address` for a letter. */
export const VerificationFormSchema = withoutEmptyFields(
  z
    .object({
      ...FormToken,
      method: StartVerificationSchema.shape.method,
      phone: z.string().optional(),
      legalName: z.string().optional(),
      line1: z.string().optional(),
      line2: z.string().optional(),
      postalCode: z.string().optional(),
      city: z.string().optional(),
      country: z.string().optional(),
    })
    .strict()
    // Shaped only: the API's schema, next, checks every value (hence the cast of strings it has not checked yet).
    .transform(
      ({ _csrf: _, method, phone, legalName, line1, line2, postalCode, city, country }) =>
        (method === 'sms' ? { method, phone, legalName } : { method, legalName, address: { line1, line2, postalCode, city, country } }) as z.input<typeof StartVerificationSchema>,
    )
    .pipe(StartVerificationSchema),
);
export class VerificationFormDto extends createZodDto(VerificationFormSchema) {}

export const CpeListFormSchema = withoutEmptyFields(ListCpeSchema);
export class CpeListFormDto extends createZodDto(CpeListFormSchema) {}

export const ReturnCpeFormSchema = z.object({ ...FormToken, ...ReturnCpeSchema.shape }).strict();
export class ReturnCpeFormDto extends createZodDto(ReturnCpeFormSchema) {}

export const LettersPdfQuerySchema = withoutEmptyFields(z.object({ since: Rfc3339.optional() }).strict());
export class LettersPdfQueryDto extends createZodDto(LettersPdfQuerySchema) {}

export const RectificationQueueQuerySchema = withoutEmptyFields(ListRectificationsSchema);
export class RectificationQueueQueryDto extends createZodDto(RectificationQueueQuerySchema) {}

export const RefuseRectificationFormSchema = z.object({ ...FormToken, ...RefuseRectificationSchema.shape }).strict();
export class RefuseRectificationFormDto extends createZodDto(RefuseRectificationFormSchema) {}
