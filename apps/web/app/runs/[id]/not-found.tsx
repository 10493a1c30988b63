import Link from "next/link";

export default function RunNotFound() {
  return (
    <div className="mx-auto mt-24 max-w-md text-center">
      <p className="font-mono text-sm text-zinc-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Run not found</h1>
      <p className="mt-2 text-zinc-500">No run with this id in this project. Events may still be on their way; try again in a moment.</p>
      <Link href="/runs" className="mt-6 inline-block rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700">
        All runs
      </Link>
    </div>
  );
}
