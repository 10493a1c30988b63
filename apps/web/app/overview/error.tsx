"use client";

import { ErrorPanel } from "@/components/error-panel";

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel error={error} retry={retry} what="the overview" />;
}
