import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import i18next, { i18n } from 'i18next';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import en from './locales/en.json';
import fr from './locales/fr.json';
import { PAGE_LANGUAGES, PageLanguage } from './page-language';

const VIEWS = join(__dirname, 'views');

/** What every page is given besides its own data. */
export interface PageFrame {
  lang: PageLanguage;
  /** The form token of this visitor, for every form on the page. */
  csrf: string;
  /** Who is signed in, if anyone: their name and roles, for the header. */
  holder: { name: string; roles: string[] } | null;
  /** The path of this page, so the language switch comes back to it. */
  path: string;
}

/**
 * Server-rendered pages: Handlebars templates (escaping every value) in a shared layout, the texts
 * from locales/*.json through i18next. Templates are compiled once at start.
 */
@Injectable()
export class PageRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly i18n: i18n = i18next.createInstance();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;

  constructor() {
    void this.i18n.init({ resources: { en: { translation: en }, fr: { translation: fr } }, supportedLngs: [...PAGE_LANGUAGES], fallbackLng: false, initAsync: false, interpolation: { escapeValue: false } });
    this.handlebars.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => {
      const root = options.data.root as PageFrame;
      return this.i18n.getFixedT(root.lang)(key, options.hash as Record<string, unknown>);
    });
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    for (const file of readdirSync(VIEWS).filter((name) => name.endsWith('.hbs'))) {
      this.templates.set(basename(file, '.hbs'), this.handlebars.compile(readFileSync(join(VIEWS, file), 'utf8'), { strict: false }));
    }
    this.layout = this.templates.get('layout') as Handlebars.TemplateDelegate;
  }

  /** A translated text, for what is not rendered by a template (a redirect's message, an e-mail). */
  text(lang: PageLanguage, key: string, values: Record<string, unknown> = {}): string {
    return this.i18n.getFixedT(lang)(key, values);
  }

  render(view: string, frame: PageFrame, data: Record<string, unknown> = {}): string {
    const template = this.templates.get(view);
    if (!template) throw new Error(`no page template ${view}`);
    const context = { ...data, ...frame };
    return this.layout({ ...context, body: new Handlebars.SafeString(template(context)) });
  }
}
