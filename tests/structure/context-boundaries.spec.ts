import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How the house keeps contexts apart: a lint rule for persistence, and module exports that are used. */
const root = join(__dirname, '..', '..');
const src = join(root, 'src');

/**
 * ESLint's verdict on each code sample as if it were the file at its path, as `npm run lint` gives it:
 * one ESLint process for all (the flat config is an ES module, which jest's CommonJS runtime cannot load).
 */
function lintAs(samples: Record<string, string>): Record<string, string[]> {
  const script = `
    const { ESLint } = require('eslint');
    const samples = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    (async () => {
      const eslint = new ESLint();
      const verdicts = {};
      for (const [path, code] of Object.entries(samples)) {
        const [result] = await eslint.lintText(code, { filePath: path });
        verdicts[path] = result.messages.map((m) => m.ruleId + ': ' + m.message);
      }
      process.stdout.write(JSON.stringify(verdicts));
    })();`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, input: JSON.stringify(samples), encoding: 'utf8' }));
}

const probe = [
  "import { IpPool } from '../ipam/ip-pool.entity';",
  "import type { LeafRow } from '../ledger/ledger.store';",
  'export const used: unknown[] = [IpPool];',
  'export type Used = LeafRow;',
  '',
].join('\n');

describe('context boundaries', () => {
  const ownEntity = "import { IpPool } from './ip-pool.entity';\nexport const used: unknown[] = [IpPool];\n";
  const ownStore = "import type { LeafRow } from './ledger.store';\nexport type Used = LeafRow;\n";
  let verdicts: Record<string, string[]>;
  beforeAll(() => {
    verdicts = lintAs({
      'src/subscribers/probe.ts': probe,
      'src/ipam/probe.ts': ownEntity,
      'src/ledger/probe.ts': ownStore,
      'tests/ipam/probe.ts': probe,
      'migrations/probe.ts': probe,
      'src/identity/probe.ts': probe,
      'src/probe.ts': "import { IpPool } from './ipam/ip-pool.entity';\nexport const used: unknown[] = [IpPool];\n",
    });
  }, 60_000);

  it('a-context-importing-another-contexts-entity-or-store-fails-the-lint', () => {
    expect(verdicts['src/subscribers/probe.ts']).toEqual([
      expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: '\.\.\/ipam\/ip-pool\.entity'.*call that context's service/),
      expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: '\.\.\/ledger\/ledger\.store'/),
    ]);
  });

  it('a-context-may-import-its-own-persistence-and-tests-and-migrations-any', () => {
    expect(verdicts['src/ipam/probe.ts']).toEqual([]);
    expect(verdicts['src/ledger/probe.ts']).toEqual([]);
    expect(verdicts['tests/ipam/probe.ts']).toEqual([]);
    expect(verdicts['migrations/probe.ts']).toEqual([]);
  });

  it('a-new-context-and-the-bootstrap-files-are-covered-without-editing-the-lint-configuration', () => {
    expect(verdicts['src/identity/probe.ts']).toHaveLength(2);
    expect(verdicts['src/probe.ts']).toHaveLength(1);
  });

  it('every-provider-a-module-exports-is-injected-by-another-context', () => {
    const contexts = readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const filesOf = (context: string) =>
      readdirSync(join(src, context))
        .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))
        .map((name) => readFileSync(join(src, context, name), 'utf8'));
    // Only a context with a Nest module can inject; the CLI and the bootstrap resolve with app.get, which needs no export.
    const injecting = contexts.filter((context) => readdirSync(join(src, context)).some((name) => name.endsWith('.module.ts')));
    const unused: string[] = [];
    for (const context of injecting) {
      for (const moduleFile of readdirSync(join(src, context)).filter((name) => name.endsWith('.module.ts'))) {
        const text = readFileSync(join(src, context, moduleFile), 'utf8');
        const exported = [...text.matchAll(/exports:\s*\[([^\]]*)\]/g)].flatMap((m) => m[1].split(',').map((name) => name.trim()).filter(Boolean));
        // What the context itself provides: declared in the module file or imported from its own folder.
        const own = exported.filter((name) => new RegExp(`(export const ${name}\\b|import \\{[^}]*\\b${name}\\b[^}]*\\} from '\\./)`).test(text));
        for (const name of own) {
          const importer = new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from '\\.\\./${context}/`);
          const used = injecting.filter((other) => other !== context).some((other) => filesOf(other).some((file) => importer.test(file)));
          if (!used) unused.push(`${context}/${moduleFile} exports ${name}`);
        }
      }
    }
    expect(unused).toEqual([]);
  });
});
