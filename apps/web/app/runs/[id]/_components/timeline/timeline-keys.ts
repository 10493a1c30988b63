/**
 * The timeline's keyboard shortcuts: one table read both by the key handler and by the
 * help dialog, so the help never drifts from what the keys do.
 */

export type TimelineAction =
  | "down"
  | "up"
  | "pageDown"
  | "pageUp"
  | "first"
  | "last"
  | "collapse"
  | "expand"
  | "deselect"
  | "zoomIn"
  | "zoomOut"
  | "zoomReset"
  | "zoomToTask"
  | "panLeft"
  | "panRight"
  | "errorsOnly"
  | "firstFailure"
  | "nextFailure"
  | "previousFailure"
  | "help";

interface Shortcut {
  action: TimelineAction;
  /** Keys as the help shows them. */
  keys: string[];
  label: string;
  group: "Rows" | "Time axis" | "Errors" | "Help";
  /** `KeyboardEvent.key` values, with "Shift+" for the arrows that need Shift. */
  match: string[];
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: "down", keys: ["↓", "j"], label: "Next task", group: "Rows", match: ["ArrowDown", "j"] },
  { action: "up", keys: ["↑", "k"], label: "Previous task", group: "Rows", match: ["ArrowUp", "k"] },
  { action: "collapse", keys: ["←"], label: "Collapse, or go to the parent", group: "Rows", match: ["ArrowLeft"] },
  { action: "expand", keys: ["→"], label: "Expand, or go to the first child", group: "Rows", match: ["ArrowRight"] },
  { action: "pageDown", keys: ["PgDn"], label: "A page down", group: "Rows", match: ["PageDown"] },
  { action: "pageUp", keys: ["PgUp"], label: "A page up", group: "Rows", match: ["PageUp"] },
  { action: "first", keys: ["Home"], label: "First task", group: "Rows", match: ["Home"] },
  { action: "last", keys: ["End"], label: "Last task", group: "Rows", match: ["End"] },
  { action: "deselect", keys: ["Esc"], label: "Clear the selection", group: "Rows", match: ["Escape"] },
  { action: "zoomIn", keys: ["+", "w"], label: "Zoom in", group: "Time axis", match: ["+", "=", "w"] },
  { action: "zoomOut", keys: ["−", "s"], label: "Zoom out", group: "Time axis", match: ["-", "_", "s"] },
  { action: "panLeft", keys: ["⇧←", "a"], label: "Pan earlier", group: "Time axis", match: ["Shift+ArrowLeft", "a"] },
  { action: "panRight", keys: ["⇧→", "d"], label: "Pan later", group: "Time axis", match: ["Shift+ArrowRight", "d"] },
  { action: "zoomToTask", keys: ["f"], label: "Zoom to the selected task", group: "Time axis", match: ["f"] },
  { action: "zoomReset", keys: ["0"], label: "Show the whole run", group: "Time axis", match: ["0"] },
  { action: "errorsOnly", keys: ["e"], label: "Errors only, on or off", group: "Errors", match: ["e"] },
  { action: "firstFailure", keys: ["g"], label: "Jump to the first failure", group: "Errors", match: ["g"] },
  { action: "nextFailure", keys: ["n"], label: "Next failure", group: "Errors", match: ["n"] },
  { action: "previousFailure", keys: ["⇧N", "p"], label: "Previous failure", group: "Errors", match: ["N", "p"] },
  { action: "help", keys: ["?"], label: "This help", group: "Help", match: ["?"] },
];

const BY_KEY = new Map(SHORTCUTS.flatMap((s) => s.match.map((k) => [k, s.action] as const)));

/** The action of a key press, or null (modifier chords stay the browser's: ⌘+ still zooms the page). */
export function actionFor(e: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): TimelineAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const arrow = e.key.startsWith("Arrow");
  return BY_KEY.get(arrow && e.shiftKey ? `Shift+${e.key}` : e.key) ?? null;
}
