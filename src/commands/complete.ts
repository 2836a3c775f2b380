import type { Command } from "commander";
import { providerChoices } from "../config/choices.js";
import { peekConfig } from "../config/load.js";
import { resolveHome } from "../config/resolve.js";
import { completeWords, type CompletionSources } from "../cli/completion/candidates.js";
import { recentJobIds } from "../core/journal/recent-ids.js";
import { providers } from "../providers/registry.js";
import type { CommandRuntime } from "./cli-output.js";

/** Enough for any history a person pages through at a prompt; the read stays bounded. */
const MAX_IDS = 300;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The value of `--config PATH` or `--config=PATH` typed on the line so far. */
function configOnLine(words: readonly string[]): string | undefined {
  const at = words.lastIndexOf("--config");
  if (at !== -1 && at < words.length - 2) return words[at + 1];
  return words.findLast((w) => w.startsWith("--config="))?.slice("--config=".length);
}

function sourcesFor(words: readonly string[], runtime: CommandRuntime): CompletionSources {
  let config: Promise<Record<string, unknown>> | undefined;
  // Read once, and only when a provider or model is being completed: ids and flags never need it.
  const readConfig = () =>
    (config ??= peekConfig(configOnLine(words) ?? runtime.env.GROKVID_CONFIG, runtime.cwd, runtime.env).then(
      (raw) => (isRecord(raw) ? raw : {}),
    ));
  const gateways = async () => {
    const section = (await readConfig()).gateways;
    return isRecord(section) ? section : {};
  };
  return {
    async providers() {
      return [...providerChoices, ...Object.keys(await gateways())];
    },
    async models(given) {
      const raw = await readConfig();
      const fallback = typeof raw.defaultProvider === "string" ? raw.defaultProvider : undefined;
      const name = (given ?? runtime.env.GROKVID_PROVIDER ?? fallback)?.trim().toLowerCase();
      if (name === undefined) return [];
      const dialect = name === "sandbox" ? "apimart" : name;
      const builtIn = Object.values(providers).find((p) => p.id === dialect);
      if (builtIn) return builtIn.models.map((m) => m.id);
      const gateway = (await gateways())[name];
      return isRecord(gateway) && isRecord(gateway.models) ? Object.keys(gateway.models) : [];
    },
    async jobIds() {
      return recentJobIds(resolveHome(runtime.env), MAX_IDS);
    },
  };
}

/**
 * `grokvid __complete WORDS...`, called by the completion scripts on each TAB: the candidates for
 * the last word, one per line. Never a network request, and nothing on stderr: it draws over the
 * user's prompt.
 */
export async function runComplete(
  words: readonly string[],
  program: Command,
  runtime: CommandRuntime,
): Promise<void> {
  const candidates = await completeWords(program, words, sourcesFor(words, runtime));
  if (candidates.length > 0) runtime.stdout.write(`${candidates.join("\n")}\n`);
}
