import { ActionLink, PageMessage } from "@/components/page-message";

export default function NotFound() {
  return (
    <PageMessage
      tone="neutral"
      eyebrow="404"
      title="Nothing here"
      actions={
        <>
          <ActionLink href="/runs" primary>
            All runs
          </ActionLink>
          <ActionLink href="/overview">Overview</ActionLink>
        </>
      }
    >
      <p>This address leads to no page of the dashboard. The link may be old or mistyped.</p>
    </PageMessage>
  );
}
