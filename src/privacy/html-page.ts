/**
 * The HTML form of the export and of the public data map: one plain page, server-rendered with
 * Handlebars, every value escaped by its `{{ }}`, no script and no style attribute, so the default
 * Content-Security-Policy holds. No Nest imports.
 */
import Handlebars from 'handlebars';

interface Node {
  label: string;
  value?: string;
  children?: Node[];
}

const engine = Handlebars.create();
engine.registerPartial('node', '{{#if children}}<dl>{{#each children}}<dt>{{label}}</dt><dd>{{> node}}</dd>{{/each}}</dl>{{else}}{{value}}{{/if}}');

const page = engine.compile(
  `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{title}}</title></head>
<body>
<main>
<h1>{{title}}</h1>
<p>{{intro}}</p>
{{#each sections}}<section><h2>{{label}}</h2>{{#if empty}}<p>None.</p>{{else}}{{> node}}{{/if}}</section>
{{/each}}</main>
</body>
</html>
`);

/** A JSON value as nested labelled lists; a list's items are numbered from 1. */
function toNode(label: string, value: unknown): Node {
  if (Array.isArray(value)) return value.length === 0 ? { label, value: '(none)' } : { label, children: value.map((item, i) => toNode(String(i + 1), item)) };
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? { label, value: '(none)' } : { label, children: entries.map(([key, item]) => toNode(key, item)) };
  }
  return { label, value: value === null || value === undefined ? '—' : String(value) };
}

export function renderPage(title: string, intro: string, sections: Record<string, unknown>): string {
  return page({
    title,
    intro,
    sections: Object.entries(sections).map(([label, value]) => {
      const node = toNode(label, value);
      return { ...node, empty: value === null || (Array.isArray(value) && value.length === 0) };
    }),
  });
}
