// Rows 1 and 2: how close grokvid's start-up is to Node's own (`node -e 0`), in an empty folder with
// no config anywhere, so nothing but grokvid's own loading differs.
import { check, paired, run } from "../lib/measure.mjs";
import { pairedRow } from "../lib/report.mjs";
import { cleanEnv, folder, grokvid, VERSION } from "../lib/world.mjs";

async function setup(name) {
  const home = await folder(name, "home");
  return { cwd: await folder(name, "empty"), env: cleanEnv(home) };
}

const nodeE0 = ({ cwd, env }) => run([process.execPath, "-e", "0"], { cwd, env });

export async function versionRow(runs) {
  const where = await setup("version");
  const expected = new RegExp(`^${VERSION.replaceAll(".", "\\.")}\\s*$`);
  const measured = await paired(
    runs,
    async () => check(await grokvid(["--version"], where), "grokvid --version", expected),
    () => nodeE0(where),
  );
  return pairedRow("`grokvid --version` / `node -e 0`", { max: 1.25, text: "<= 1.25x" }, measured);
}

export async function dryRunRow(runs) {
  const where = await setup("dry-run");
  const args = ["create", "--provider", "apimart", "--prompt", "x", "--dry-run"];
  const measured = await paired(
    runs,
    // The dry run prints the request it would send: its URL names the create endpoint.
    async () => check(await grokvid(args, where), "grokvid create --dry-run", /videos\/generations/),
    () => nodeE0(where),
  );
  return pairedRow(
    "`create --provider apimart --prompt x --dry-run` / `node -e 0`",
    { max: 1.5, text: "<= 1.5x" },
    measured,
  );
}
