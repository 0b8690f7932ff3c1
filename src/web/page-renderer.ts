import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import i18next, { i18n } from 'i18next';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PAGE_LANGUAGES, PageLanguage } from './page-language';

const VIEWS = join(__dirname, 'views');
const LOCALES = join(__dirname, 'locales');

/** Every file under `dir`, recursively, with its path relative to `dir`. */
function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(extension))
    .sort();
}

/**
 * A language's texts: every locales/<lang>/*.json, one per area of the site, each holding its own
 * top-level keys; a key defined by two files stops the start.
 */
export function loadTexts(lang: PageLanguage, dir = LOCALES): Record<string, unknown> {
  const texts: Record<string, unknown> = {};
  for (const file of filesUnder(join(dir, lang), '.json')) {
    const area = JSON.parse(readFileSync(join(dir, lang, file), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(area)) {
      if (key in texts) throw new Error(`page text "${key}" of ${lang} is defined twice (${file})`);
      texts[key] = value;
    }
  }
  return texts;
}

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
    const resources = Object.fromEntries(PAGE_LANGUAGES.map((lang) => [lang, { translation: loadTexts(lang) }]));
    void this.i18n.init({ resources, supportedLngs: [...PAGE_LANGUAGES], fallbackLng: false, initAsync: false, interpolation: { escapeValue: false } });
    this.handlebars.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => {
      const root = options.data.root as PageFrame;
      return this.i18n.getFixedT(root.lang)(key, options.hash as Record<string, unknown>);
    });
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    // `{{#if (has holder.roles "ccj")}}`: whether a list holds a value.
    this.handlebars.registerHelper('has', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
    // A template's name is its path under views/, without .hbs: `board/request`. Those under partials/ are partials.
    for (const file of filesUnder(VIEWS, '.hbs')) {
      const name = relative(VIEWS, join(VIEWS, file)).slice(0, -'.hbs'.length);
      const source = readFileSync(join(VIEWS, file), 'utf8');
      if (name.startsWith('partials/')) this.handlebars.registerPartial(name.slice('partials/'.length), source);
      else this.templates.set(name, this.handlebars.compile(source, { strict: false }));
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
