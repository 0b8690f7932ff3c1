/** The e-mails a circle's members receive, filled from ids, dates and outcomes only. No Nest imports. */
import en from './notice-texts/en.json';
import fr from './notice-texts/fr.json';

export const CIRCLE_NOTICE_KINDS = ['proposal-opened', 'proposal-closed', 'legal-request-due-soon', 'legal-request-overdue', 'canary-lapsing'] as const;
export type CircleNoticeKind = (typeof CIRCLE_NOTICE_KINDS)[number];

/** Ids, instants and outcomes: never a title, a name or a reference. */
export type NoticeParams = Record<string, string>;

const TEXTS = { en, fr };
export type NoticeLanguage = keyof typeof TEXTS;

function fill(template: string, params: NoticeParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** An instant as people read it in a notice: the UTC date and time to the minute. */
function readable(instant: string, language: NoticeLanguage): string {
  const at = new Date(instant);
  return Number.isNaN(at.getTime()) ? instant : `${at.toISOString().slice(0, 16).replace('T', language === 'fr' ? ' à ' : ' at ')} UTC`;
}

export function renderNotice(kind: CircleNoticeKind, params: NoticeParams, language: NoticeLanguage): { subject: string; body: string } {
  const texts = TEXTS[language];
  const dated = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, /At$|By$/.test(name) ? readable(value, language) : value]));
  const status = params.status === 'adopted' || params.status === 'rejected' ? texts.status[params.status] : params.status;
  const values: NoticeParams = {
    ...dated,
    ...(status !== undefined ? { status } : {}),
    closing: dated.closesAt ? fill(texts.closesAt, dated) : texts.noDeadline,
  };
  return { subject: fill(texts[kind].subject, values), body: `${fill(texts[kind].body, values)}\n\n${texts.footer}` };
}
