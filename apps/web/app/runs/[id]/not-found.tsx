import { ActionLink, PageMessage } from "@/components/page-message";

export default function RunNotFound() {
  return (
    <PageMessage
      tone="neutral"
      eyebrow="404"
      title="Run not found"
      actions={
        <ActionLink href="/runs" primary>
          All runs
        </ActionLink>
      }
    >
      <p>No run with this id in this project. If it has just started, its first events may still be on their way: try again in a moment.</p>
    </PageMessage>
  );
}
