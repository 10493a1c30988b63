import { describe, expect, it } from "vitest";
import { readThemeChoice, THEME_COOKIE, themeAttribute, themeCookie } from "./theme";

describe("theme choice", () => {
  it("reads light and dark, and anything else as system", () => {
    expect(readThemeChoice("light")).toBe("light");
    expect(readThemeChoice("dark")).toBe("dark");
    for (const v of [undefined, null, "", "Dark", "auto", "system", "dark; x=1"]) expect(readThemeChoice(v)).toBe("system");
  });

  it("sets html data-theme only for an explicit choice", () => {
    expect(themeAttribute("dark")).toBe("dark");
    expect(themeAttribute("light")).toBe("light");
    expect(themeAttribute("system")).toBeUndefined();
  });

  it("keeps an explicit choice for a year on every path, and deletes the cookie for system", () => {
    expect(themeCookie("dark")).toBe(`${THEME_COOKIE}=dark; Max-Age=31536000; Path=/; SameSite=Lax`);
    expect(themeCookie("light", true)).toMatch(/; Secure$/);
    expect(themeCookie("system")).toMatch(new RegExp(`^${THEME_COOKIE}=; Max-Age=0; Path=/`));
  });
});
