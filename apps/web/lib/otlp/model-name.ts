/** The model a GenAI span says it used: the response's over the request's (OTel GenAI, OpenInference, Vercel AI SDK names). */
export function modelName(attributes: Record<string, unknown> | null): string | null {
  if (!attributes) return null;
  for (const k of ["gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "ai.model.id"]) {
    const v = attributes[k];
    if (typeof v === "string" && v !== "") return v;
  }
  return null;
}
