/**
 * The theme choice kept in a cookie: "light" or "dark" when the user picked one, no
 * cookie for "system" (follow prefers-color-scheme). The root layout reads it on the
 * server and writes data-theme on <html>, so the first paint is already right with
 * no inline script.
 */

export const THEME_COOKIE = "runtrail-theme";
export const THEME_CHOICES = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** Any unknown or missing value is "system": an old or edited cookie never breaks a page. */
export function readThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === "light" || value === "dark" ? value : "system";
}

/** The html data-theme attribute of a choice; none for "system", where CSS follows the media query. */
export function themeAttribute(choice: ThemeChoice): "light" | "dark" | undefined {
  return choice === "system" ? undefined : choice;
}

/** A Set-Cookie / document.cookie value storing the choice ("system" deletes the cookie). */
export function themeCookie(choice: ThemeChoice, secure = false): string {
  const attrs = `Path=/; SameSite=Lax${secure ? "; Secure" : ""}`;
  return choice === "system" ? `${THEME_COOKIE}=; Max-Age=0; ${attrs}` : `${THEME_COOKIE}=${choice}; Max-Age=${ONE_YEAR_S}; ${attrs}`;
}
