import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { authenticate } from "@/lib/api/auth";
import { storeError } from "@/lib/api/responses";
import { buildMcpServer } from "@/lib/mcp/server";
import { getDb } from "@/lib/store";

/** JSON-RPC messages are small; a megabyte is far more than any tool call needs. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * POST /api/mcp — the MCP server (Streamable HTTP, stateless: a server and transport per
 * request), authorised by `Authorization: Bearer <api key>` and scoped to the key's
 * project: 401 without a valid key, 429 past its rate limit, and another project's runs
 * are simply not found.
 */
export async function POST(request: Request): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  let db: Awaited<ReturnType<typeof getDb>>;
  try {
    db = await getDb();
  } catch (err) {
    return storeError(err);
  }
  const server = buildMcpServer({ db, projectId: auth.projectId, keyId: auth.keyId });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, maxRequestBodySize: MAX_BODY_BYTES });
  await server.connect(transport);
  return transport.handleRequest(request);
}

/** Stateless: no stream of server-initiated messages (GET) and no session to end (DELETE). */
function notAllowed(): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: this MCP server is stateless; send JSON-RPC with POST." }, id: null }), {
    status: 405,
    headers: { allow: "POST", "content-type": "application/json" },
  });
}

export const GET = notAllowed;
export const DELETE = notAllowed;
