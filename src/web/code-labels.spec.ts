import { LEDGER_ACTIONS, PURPOSE_CATEGORIES } from '../ledger/ledger-entry';
import { ROLES } from '../common/access';
import { LEGAL_REQUEST_KINDS } from '../legal-requests/legal-request-kinds';
import { TRANSPARENCY_OUTCOMES } from '../legal-requests/transparency-report';
import { loadDataMap } from '../privacy/data-map';
import { codeLabel } from './code-labels';
import { PAGE_LANGUAGES } from './page-language';
import { PageRenderer } from './page-renderer';

describe('labels of the codes the pages show', () => {
  const pages = new PageRenderer();
  const groups: [string, readonly string[]][] = [
    ['member.actions', LEDGER_ACTIONS],
    ['member.roles', [...ROLES, 'system']],
    ['member.purposeCategories', PURPOSE_CATEGORIES],
    ['record.transparency.kinds', LEGAL_REQUEST_KINDS],
    ['record.transparency.outcomes', TRANSPARENCY_OUTCOMES],
    ['record.categories', [...new Set(['be', 'fr'].flatMap((j) => Object.keys(loadDataMap(j as 'be' | 'fr').categories)))]],
  ];

  it.each(groups)('every code of %s has a text in each language', (group, codes) => {
    for (const lang of PAGE_LANGUAGES) expect(codes.filter((code) => pages.text(lang, `${group}.${code}`) === `${group}.${code}`)).toEqual([]);
  });

  it('a code without a text shows as itself', () => {
    expect(codeLabel(pages, 'en', 'member.actions', 'future.action')).toBe('future.action');
    expect(codeLabel(pages, 'fr', 'member.actions', 'identity.read')).toBe('identité lue');
  });
});
