/**
 * What contexts hand the outbox: ids only. The body is rendered at send time, by the renderer the
 * context registered for the message's kind, so no personal value ever sits in a job payload.
 */
export const OUTBOX_CHANNELS = ['sms', 'postal', 'email'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];

/** Every kind of message Lanterne sends, each rendered by the context named beside it. */
export const OUTBOX_MESSAGE_KINDS = [
  /** identity: the code of a verification, by SMS or by letter. */
  'verification-code',
  /** consensus: a circle's member told of a proposal or a deadline, by e-mail. */
  'circle-notice',
  /** web: a member's one-time sign-in link, by e-mail. */
  'sign-in-link',
  /** legal-requests: a member told that a request concerning them is no longer gagged, by e-mail. */
  'gag-lifted',
] as const;
export type OutboxMessageKind = (typeof OUTBOX_MESSAGE_KINDS)[number];

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface OutboxRequest {
  kind: OutboxMessageKind;
  channel: OutboxChannel;
  /** The id the renderer reads its content from (a verification id for `verification-code`). */
  ref: string;
}

/** A postal letter's content; the outbox lays it out as an A4 page for a C5/DL window envelope. */
export interface LetterContent {
  addressLines: string[];
  code: string;
  expiresAt: Date;
}

/** A message as it goes out, made at send time and never stored by the outbox. */
export interface RenderedMessage {
  channel: OutboxChannel;
  /** E.164 phone number, postal address on one line, or e-mail address. */
  to: string;
  language: Language;
  subject?: string;
  body: string;
  /** The verification code, for the `file` transport's `code` field. */
  code?: string;
  letter?: LetterContent;
}

/** Renders a message at send time; `null` when it is no longer to be sent (the verification ended). */
export type MessageRenderer = (ref: string) => Promise<RenderedMessage | null>;
