import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Text } from '../common/schemas';
import { PAGE_LANGUAGES } from './page-language';

/** Every form carries its token; the guard checks it, the schema only lets it through. */
export const FormToken = { _csrf: z.string().max(200) };

/** Where to go after signing in: a path of this site only, never another origin. */
const LocalPath = Text.max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, 'must be a path of this site')
  .optional()
  .or(z.literal('').transform(() => undefined));

export const TokenSignInSchema = z.object({ ...FormToken, token: Text.trim().min(1).max(200), next: LocalPath }).strict();
export class TokenSignInDto extends createZodDto(TokenSignInSchema) {}

export const LinkRequestSchema = z.object({ ...FormToken, email: z.email().max(320) }).strict();
export class LinkRequestDto extends createZodDto(LinkRequestSchema) {}

export const FormOnlySchema = z.object(FormToken).strict();
export class FormOnlyDto extends createZodDto(FormOnlySchema) {}

export const LanguageChoiceSchema = z.object({ ...FormToken, lang: z.enum(PAGE_LANGUAGES), back: LocalPath }).strict();
export class LanguageChoiceDto extends createZodDto(LanguageChoiceSchema) {}

export const SignInPageSchema = z.object({ next: LocalPath }).strict();
export class SignInPageDto extends createZodDto(SignInPageSchema) {}
