"use client";

import { type FormEvent, useState } from "react";

/**
 * How a submit ended: `{ error }` shows it (null: none), `{ navigate }` loads that page
 * (the form stays busy while it does), nothing means done here.
 */
export type SubmitOutcome = { error: string | null } | { navigate: string } | undefined;

/**
 * The submit of a dashboard form or button: busy while `action` runs, the previous error
 * cleared, then its outcome applied. A request that never got an answer (server down,
 * network gone) becomes an error that says so, rather than a form stuck busy.
 */
export function useSubmit(action: (form?: HTMLFormElement) => Promise<SubmitOutcome>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(form?: HTMLFormElement): Promise<void> {
    setBusy(true);
    setError(null);
    let outcome: SubmitOutcome;
    try {
      outcome = await action(form);
    } catch (err) {
      outcome = { error: `Cannot reach the server (${err instanceof Error ? err.message : String(err)}). Check that it is running, then try again.` };
    }
    if (outcome && "navigate" in outcome) {
      window.location.assign(outcome.navigate);
      return;
    }
    setBusy(false);
    if (outcome) setError(outcome.error);
  }

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void submit(e.currentTarget);
  };
  return { busy, error, submit, onSubmit };
}
