/**
 * age-encryption is an ES module only; Lanterne compiles to CommonJS (module node16), where TypeScript
 * keeps a dynamic `import()` as it is, so Node loads the module as ESM. Loaded once, when first needed.
 */
type Age = typeof import('age-encryption', { with: { 'resolution-mode': 'import' } });

let loading: Promise<Age> | null = null;

export function loadAge(): Promise<Age> {
  loading ??= import('age-encryption');
  return loading;
}
