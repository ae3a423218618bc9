import type { Browser, Page } from "puppeteer-core";
export const FIREFOX: string;
export function withAutomationHook(extDir: string): Promise<{ dir: string; dispose(): void }>;
export interface FirefoxRun {
  browser: Browser;
  hook: Page;
  close(): Promise<void>;
}
export function launchFirefox(extDir: string, options?: { headless?: boolean }): Promise<FirefoxRun>;
export function runPlaygroundInFirefox(
  firefox: FirefoxRun,
  playground: { pageUrl: string; apis: { localhost: string } },
  options?: { onlyWarmUp?: boolean },
): Promise<{ page: Page; tabId: number; report(): Promise<any> }>;
