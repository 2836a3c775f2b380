// Replaces dist/util/zod.js (tsc's re-export of the zod functions grokvid uses) with one bundled file
// holding only those functions: zod's entry loads 99 modules, 64 of them locales no message uses.
// Run by `npm run build` after tsc, from the same source (src/util/zod.ts); tsc's declarations stay.
// The source map points into node_modules/zod.
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  cwd: root,
  input: "src/util/zod.ts",
  platform: "node",
  logLevel: "warn",
  output: { file: "dist/util/zod.js", format: "esm", sourcemap: true },
});
