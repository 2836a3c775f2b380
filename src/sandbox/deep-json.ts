const DEEP_LEVELS = 200_000;

/**
 * deep-json: the normal JSON object answer plus a field nested 200,000 levels deep. Still valid
 * JSON, and still a readable task, so only a client that limits depth notices before it recurses.
 */
export function deepen(json: string): string {
  if (!json.startsWith("{") || !json.endsWith("}")) return json;
  const glue = json === "{}" ? "" : ",";
  return `${json.slice(0, -1)}${glue}"trace":${"[".repeat(DEEP_LEVELS)}${"]".repeat(DEEP_LEVELS)}}`;
}
