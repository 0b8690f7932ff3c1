/**
 * The e-mail telling a member that a request concerning them may now be known to them. No Nest or
 * database imports. It says when the request was received and where to read the rest, nothing else:
 * not the authority, the reference, the kind, the legal basis nor what was disclosed (docs/privacy.md,
 * "The gag-lifted notice").
 */
import type { Language } from '../outbox/outbox-message';

const TEXTS: Record<Language, { subject: string; body: (date: string) => string }> = {
  fr: {
    subject: 'Une demande vous concernant',
    body: (date) =>
      `Bonjour,\n\nLe ${date}, l'association a reçu d'une autorité une demande qui vous concerne. Elle peut désormais vous en informer.\n\n` +
      `Vous pouvez lire ce qui a été demandé et ce qui a été communiqué à votre sujet dans votre espace membre.\n`,
  },
  en: {
    subject: 'A request concerning you',
    body: (date) =>
      `Hello,\n\nOn ${date}, the association received a request from an authority concerning you. It may now tell you about it.\n\n` +
      `You can read what was asked and what was disclosed about you in your member area.\n`,
  },
};

/** The member's language if Lanterne has texts in it (`fr-BE` is `fr`), else the association's (fr). */
export function noticeLanguage(tag: string): Language {
  const primary = tag.split('-')[0].toLowerCase();
  return primary === 'en' ? 'en' : 'fr';
}

/** `receivedAt` as a day (YYYY-MM-DD, UTC): enough to recognise the request, no finer. */
export function renderGagLiftedNotice(receivedAt: Date, language: Language): { subject: string; body: string } {
  const text = TEXTS[language];
  return { subject: text.subject, body: text.body(receivedAt.toISOString().slice(0, 10)) };
}
