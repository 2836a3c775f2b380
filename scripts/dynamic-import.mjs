// Whether a bundled chunk contains an `import()` expression, found in its syntax tree (comments and
// strings that merely say "import(" do not count). scripts/code-cache.mjs keeps no code cache for
// such a chunk: on Node 20 `import()` fails in a script restored from a cache (src/cli-code-cache.ts).
import { parseAst } from "rolldown/parseAst";

/** @param {unknown} node */
function contains(node) {
  if (node === null || typeof node !== "object") return false;
  if (Array.isArray(node)) return node.some(contains);
  if (/** @type {{ type?: unknown }} */ (node).type === "ImportExpression") return true;
  return Object.values(node).some(contains);
}

/** @param {string} source the text of a CommonJS chunk */
export function hasDynamicImport(source) {
  return contains(parseAst(source, { sourceType: "script" }));
}
