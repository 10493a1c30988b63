import type { Page } from "@playwright/test";

/**
 * Watches a page for what must never happen on the dashboard: a Content-Security-
 * Policy violation (reported through `securitypolicyviolation`, on every document
 * the page loads), a console error, an uncaught exception, a dialog (an injected
 * `alert` that ran).
 */
export interface PageGuard {
  violations: string[];
  errors: string[];
  dialogs: string[];
}

export async function guardPage(page: Page): Promise<PageGuard> {
  const guard: PageGuard = { violations: [], errors: [], dialogs: [] };
  await page.exposeFunction("__runtrailCspViolation", (text: string) => {
    guard.violations.push(text);
  });
  // Init scripts are injected by the browser's debugging protocol, not the page: the CSP does not apply to them.
  await page.addInitScript({
    content: `document.addEventListener("securitypolicyviolation", (e) => {
      window.__runtrailCspViolation(location.pathname + ": " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " (" + e.sourceFile + ":" + e.lineNumber + ") " + e.sample);
    });`,
  });
  page.on("console", (message) => {
    if (message.type() === "error") guard.errors.push(`${message.location().url}: ${message.text()}`);
  });
  page.on("pageerror", (error) => guard.errors.push(`${page.url()}: uncaught: ${error.message}`));
  page.on("dialog", (dialog) => {
    guard.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return guard;
}

/** The nonce of a page policy; throws unless the policy is the strict one (nonce + 'strict-dynamic', no inline script). */
export function nonceOf(policy: string | undefined): string {
  const script = policy?.split(";").find((d) => d.trim().startsWith("script-src "));
  const nonce = /'nonce-([^']+)'/.exec(script ?? "")?.[1];
  if (!script || !nonce || !script.includes("'strict-dynamic'") || script.includes("'unsafe-inline'") || script.includes("'unsafe-eval'")) {
    throw new Error(`not a strict page policy: ${policy}`);
  }
  return nonce;
}
