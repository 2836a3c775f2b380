// Replaces dist/util/zod.js (a re-export of the zod functions grokvid uses) with one bundled file
// holding only those functions: zod's entry loads 99 modules, 64 of them locales no message uses.
// Run by `npm run build` after tsc; the source map points into node_modules/zod.
import { readFile, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = `${root}dist/util/zod.js`;
// Written beside its input first: the input must stay readable until the bundle is made.
const temp = `${root}dist/util/zod.bundle.js`;

await build({
  cwd: root,
  input: target,
  platform: "node",
  logLevel: "warn",
  output: { file: temp, format: "esm", sourcemap: true },
});
const code = await readFile(temp, "utf8");
const map = JSON.parse(await readFile(`${temp}.map`, "utf8"));
await writeFile(target, code.replace(/zod\.bundle\.js\.map\s*$/, "zod.js.map\n"));
await writeFile(`${target}.map`, JSON.stringify({ ...map, file: "zod.js" }));
await rm(temp);
await rm(`${temp}.map`);
