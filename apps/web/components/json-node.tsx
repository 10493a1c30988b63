"use client";

import { createContext, useContext, useMemo, useState } from "react";
import {
  cutString,
  formatBytes,
  inlinePreview,
  isMultiline,
  kindOf,
  moreLabel,
  nextShown,
  primitiveText,
  sizeLabel,
  startsOpen,
  truncatedMarker,
  unserializableReason,
} from "./json-shape";

/** How containers start: by depth and size, or all open / all closed (the toolbar's buttons). */
export type OpenMode = "auto" | "all" | "none";
export const OpenModeContext = createContext<OpenMode>("auto");

const LINK = "rounded px-1 font-sans text-[11px] font-medium text-sky-700 hover:bg-sky-50 hover:text-sky-900 focus-visible:outline-2 focus-visible:outline-sky-500";
const INDENT = "ml-[7px] border-l border-zinc-200 pl-3";

/** The key (or array index) in front of a value. */
function Label({ name }: { name: string | number | null }) {
  if (name === null) return null;
  // Keys quoted as in JSON (so copied text reads as JSON); array indexes are positions, not keys.
  return typeof name === "number" ? <span className="text-zinc-400 tabular-nums">{name}: </span> : <span className="text-sky-800">{JSON.stringify(name)}: </span>;
}

/** A string, cut to its head with "show all" past a few hundred characters or a dozen lines; text only, never HTML. */
export function JsonString({ text, block = isMultiline(text) }: { text: string; block?: boolean }) {
  const [whole, setWhole] = useState(false);
  const cut = useMemo(() => cutString(text), [text]);
  const shown = whole ? text : cut.head;
  const toggle = cut.hidden > 0 && (
    <button type="button" className={LINK} onClick={() => setWhole(!whole)} data-testid="json-show-all">
      {whole ? "show less" : `show all (${cut.hidden.toLocaleString("en-US")} more chars)`}
    </button>
  );
  if (block) {
    return (
      <div className="mt-0.5 mb-1 rounded bg-white/70 px-2 py-1 text-zinc-800 ring-1 ring-zinc-200 ring-inset">
        <span className="whitespace-pre-wrap wrap-anywhere">
          {shown}
          {!whole && cut.hidden > 0 && <span className="text-zinc-400">…</span>}
        </span>{" "}
        {toggle}
      </div>
    );
  }
  const quoted = primitiveText(shown);
  return (
    <>
      <span className="wrap-anywhere text-emerald-700">
        {whole || cut.hidden === 0 ? quoted : `${quoted.slice(0, -1)}…`}
      </span>{" "}
      {toggle}
    </>
  );
}

function Primitive({ value }: { value: unknown }) {
  const kind = kindOf(value);
  if (kind === "string") return <JsonString text={value as string} block={false} />;
  const cls = kind === "number" ? "text-amber-700" : kind === "boolean" ? "text-violet-700" : "text-zinc-400";
  return <span className={cls}>{primitiveText(value)}</span>;
}

/** The SDK's stand-in for a value over its size limit: say so plainly, with the head it kept. */
function TruncatedNotice({ originalBytes, preview }: { originalBytes: number; preview: string }) {
  return (
    <div className="my-1 rounded-md bg-amber-50 px-2.5 py-2 font-sans ring-1 ring-amber-200 ring-inset" data-testid="json-truncated">
      <p className="text-xs text-amber-900">
        <span className="font-semibold">Truncated by the SDK: {formatBytes(originalBytes)}</span>
        <span className="text-amber-800" title={`${originalBytes.toLocaleString("en-US")} bytes`}>
          {" "}
          was over its value size limit{preview ? "; the start of its JSON:" : "."}
        </span>
      </p>
      {preview && (
        <div className="mt-1.5 font-mono text-[11px] break-all text-zinc-700">
          <JsonString text={preview} block />
        </div>
      )}
    </div>
  );
}

interface NodeProps {
  name: string | number | null;
  value: unknown;
  depth: number;
}

/** One value of the tree: a primitive on its line, or a container that renders its entries only while open. */
export function JsonNode({ name, value, depth }: NodeProps) {
  const kind = kindOf(value);
  // Leaves line up with their containers' names, past the caret; the root has no caret column.
  const pad = depth > 0 ? "pl-[18px]" : "";
  const marker = truncatedMarker(value);
  const unserializable = unserializableReason(value);
  if (marker || unserializable !== null) {
    return (
      <div className={pad}>
        <Label name={name} />
        {marker ? (
          <TruncatedNotice {...marker} />
        ) : (
          <span className="rounded bg-amber-50 px-1 font-sans text-xs text-amber-900 ring-1 ring-amber-200 ring-inset">not serialisable by the SDK: {unserializable}</span>
        )}
      </div>
    );
  }
  if (kind === "object" || kind === "array") return <Container name={name} value={value as object} kind={kind} depth={depth} />;
  if (kind === "string" && isMultiline(value as string)) {
    return (
      <div className={pad}>
        <Label name={name} />
        <span className="font-sans text-[11px] text-zinc-400">{(value as string).split("\n").length} lines</span>
        <JsonString text={value as string} block />
      </div>
    );
  }
  return (
    <div className={pad}>
      <Label name={name} />
      <Primitive value={value} />
    </div>
  );
}

function Container({ name, value, kind, depth }: { name: string | number | null; value: object; kind: "object" | "array"; depth: number }) {
  const mode = useContext(OpenModeContext);
  // Object.keys of a 10,000-key object is cheap once; the entries themselves render only while open.
  const keys = useMemo(() => (kind === "array" ? null : Object.keys(value)), [kind, value]);
  const size = keys ? keys.length : (value as unknown[]).length;
  const [open, setOpen] = useState(() => (mode === "all" ? true : mode === "none" ? depth === 0 : startsOpen(depth, size)));
  const [shown, setShown] = useState(() => nextShown(size, 0));
  const empty = size === 0;
  const more = moreLabel(size, shown);
  // Only while closed, and only computed then: a closed container of a few primitives reads best inline.
  const preview = open || empty ? null : inlinePreview(value);
  return (
    <div>
      <button
        type="button"
        aria-expanded={empty ? undefined : open}
        disabled={empty}
        onClick={() => setOpen(!open)}
        className="group flex max-w-full min-w-0 items-baseline gap-1 rounded text-left hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:hover:bg-transparent"
        data-testid="json-toggle"
      >
        <span className={`inline-block w-3.5 shrink-0 text-center text-[10px] text-zinc-400 transition-transform ${open && !empty ? "rotate-90" : ""}`} aria-hidden="true">
          {empty ? "" : "▶"}
        </span>
        <span className={preview ? "min-w-0 truncate" : "wrap-anywhere"} title={preview ?? undefined}>
          <Label name={name} />
          {preview ? <span className="text-zinc-600">{preview}</span> : <span className="text-zinc-500">{sizeLabel(kind, size)}</span>}
        </span>
      </button>
      {open && !empty && (
        <div className={INDENT}>
          {keys
            ? keys.slice(0, shown).map((k) => <JsonNode key={k} name={k} value={(value as Record<string, unknown>)[k]} depth={depth + 1} />)
            : (value as unknown[]).slice(0, shown).map((v, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: an array's entries are its indexes; they never reorder here
                <JsonNode key={i} name={i} value={v} depth={depth + 1} />
              ))}
          {more && (
            <button type="button" className={`${LINK} my-0.5 ml-[18px]`} onClick={() => setShown(nextShown(size, shown))} data-testid="json-show-more">
              {more}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
