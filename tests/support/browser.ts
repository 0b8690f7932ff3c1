import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), which .ci/run installs when missing. */
export const CHROMIUM = process.env.LANTERNE_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Where each page's screenshot goes; CI keeps the folder as an artefact. */
export const SCREENSHOTS = join(__dirname, '..', '..', 'artifacts', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A visitor of `baseUrl`: a fresh context (cookies of its own), in a language, on a phone-sized screen
 * when asked. The pages forbid every script; axe is injected through the browser's own channel, which
 * the policy does not see (bypassCSP), so the pages under test are the ones people get.
 */
export async function visitor(browser: Browser, baseUrl: string, options: { locale?: string; phone?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: baseUrl,
    locale: options.locale ?? 'en-GB',
    viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
    bypassCSP: true,
    javaScriptEnabled: true,
  });
}

let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  // An expression run in the page, where axe and document are (the tests compile without the DOM's types).
  const results = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as { violations: AxeViolation[] };
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target })) }));
}

/** Saves the page as `<name>.png` among the CI artefacts and checks it with axe: call it on every page a test visits. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}
