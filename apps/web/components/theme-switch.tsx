"use client";

import { useState } from "react";
import { THEME_CHOICES, type ThemeChoice, themeAttribute, themeCookie } from "@/lib/theme";

const LABEL: Record<ThemeChoice, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };

function Icon({ choice }: { choice: ThemeChoice }) {
  const common = { fill: "none", stroke: "currentColor", strokeWidth: 1.5, strokeLinecap: "round", strokeLinejoin: "round" } as const;
  return (
    <svg viewBox="0 0 16 16" className="size-4" aria-hidden="true">
      {choice === "system" && (
        <g {...common}>
          <rect x="1.75" y="2.75" width="12.5" height="8.5" rx="1.5" />
          <path d="M5.5 13.75h5M8 11.25v2.5" />
        </g>
      )}
      {choice === "light" && (
        <g {...common}>
          <circle cx="8" cy="8" r="2.75" />
          <path d="M8 1.5v1.25M8 13.25v1.25M1.5 8h1.25M13.25 8h1.25M3.4 3.4l.9.9M11.7 11.7l.9.9M3.4 12.6l.9-.9M11.7 4.3l.9-.9" />
        </g>
      )}
      {choice === "dark" && <path {...common} d="M13.5 9.6A5.75 5.75 0 016.4 2.5a5.75 5.75 0 107.1 7.1z" />}
    </svg>
  );
}

/**
 * System / Light / Dark. With JavaScript the choice applies at once (cookie written
 * here, data-theme set on <html>); without it, the form posts to /theme, which sets
 * the cookie and sends the browser back. Either way the server renders the next page
 * in the chosen theme.
 */
export function ThemeSwitch({ initial }: { initial: ThemeChoice }) {
  const [choice, setChoice] = useState(initial);

  function choose(next: ThemeChoice) {
    setChoice(next);
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from older Firefox and Safari still in use.
    document.cookie = themeCookie(next, window.location.protocol === "https:");
    const attr = themeAttribute(next);
    if (attr) document.documentElement.dataset.theme = attr;
    else delete document.documentElement.dataset.theme;
  }

  return (
    <form method="post" action="/theme">
      <fieldset className="flex rounded-lg bg-zinc-100 p-0.5 ring-1 ring-zinc-200">
        <legend className="sr-only">Theme</legend>
        {THEME_CHOICES.map((c) => (
          <button
            key={c}
            type="submit"
            name="theme"
            value={c}
            aria-pressed={choice === c}
            aria-label={LABEL[c]}
            title={LABEL[c]}
            data-testid={`theme-${c}`}
            onClick={(e) => {
              e.preventDefault();
              choose(c);
            }}
            className="rounded-md p-1.5 text-zinc-500 hover:text-zinc-900 aria-pressed:bg-zinc-300 aria-pressed:text-zinc-950"
          >
            <Icon choice={c} />
          </button>
        ))}
      </fieldset>
    </form>
  );
}
