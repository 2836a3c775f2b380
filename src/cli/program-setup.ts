import { Argument } from "commander";
import type { CommonFlags } from "../commands/cli-output.js";
import type { McpFlags } from "../commands/mcp.js";
import { completionShells } from "./completion/scripts.js";
import { addCommon, collect, option } from "./program-options.js";
import { describeDialects, describeFaultKinds } from "../sandbox/index.js";
import { VERSION } from "../util/version.js";
import type { Declare } from "./program-core.js";

/**
 * The commands that set grokvid up rather than make videos (the simulator, completion, the
 * version, keys, the doctor, config files), declared like the others in src/program.ts and listed
 * after them in `--help`.
 */
export const SETUP_COMMANDS: Record<string, Declare> = {
  sandbox(program, runtime) {
    addCommon(
      program
        .command("sandbox")
        .description("run the offline gateway simulator in the foreground (Ctrl-C stops it)")
        .addOption(option("--port <n>", "port on 127.0.0.1; 0 picks a free one", "0"))
        .addOption(
          option(
            "--delay <duration>",
            "how long each job takes, from submit to done",
            "$GROKVID_SANDBOX_DELAY, else 3s",
          ),
        )
        .addOption(
          option(
            "--video-size <size>",
            "pad every video to this size, e.g. 64MiB or 1GiB (streamed)",
            "the real size",
          ),
        )
        .addOption(
          option(
            "--fault <spec>",
            `misbehave on purpose: kind[:target[:times]], e.g. rate-limit:query:2 or truncate:download; repeatable`,
          ).argParser(collect),
        )
        .addHelpText("after", describeDialects() + describeFaultKinds()),
      false,
    ).action(async (flags: { port?: string; delay?: string; fault?: string[]; videoSize?: string }) =>
      (await import("../commands/sandbox.js")).runSandbox(flags, runtime),
    );
  },
  mcp(program, runtime) {
    program
      .command("mcp")
      .description(
        "serve grokvid's tools to an AI agent over MCP (stdio), within limits the agent cannot change",
      )
      .addOption(option("--max-jobs <n>", "jobs this server may create; none for no limit", "5"))
      .addOption(
        option(
          "--max-usd <usd>",
          "US dollars it may spend, counted by each job's list-price estimate before it is sent (a job of unknown price is refused); none for no limit",
          "5",
        ),
      )
      .addOption(
        option(
          "--provider <name>",
          "a provider jobs may go to, the first being the default; repeatable",
          "every provider, the configured one by default",
        ).argParser(collect),
      )
      .addOption(
        option(
          "--out-dir <dir>",
          "the only folder videos are downloaded to (created if missing)",
          "the current folder",
        ),
      )
      .addOption(
        option(
          "--allow-read <dir>",
          "a folder local images may be read from; repeatable",
          "no local files",
        ).argParser(collect),
      )
      .addOption(option("--max-wait <duration>", "the longest one tool call waits for a job", "50s"))
      .addOption(
        option(
          "--interval <duration>",
          "time between status checks while waiting",
          "5s, or poll.interval in config",
        ),
      )
      .addOption(
        option(
          "--config <path>",
          "read this config file instead of searching",
          "$GROKVID_CONFIG, else search from the current folder",
        ),
      )
      .addOption(option("--quiet", "print nothing on stderr but warnings", "off"))
      .addOption(option("--verbose", "print requests and retries on stderr (keys are never shown)", "off"))
      .action(async (flags: McpFlags) => (await import("../commands/mcp.js")).runMcp(flags, runtime));
  },
  completion(program, runtime) {
    program
      .command("completion")
      .description("print a shell completion script for commands, flags, providers, models and job ids")
      .addArgument(new Argument("<shell>", "the shell that loads the script").choices(completionShells))
      .action(async (shell: string) =>
        (await import("../commands/completion.js")).runCompletion(shell, runtime),
      );
  },
  version(program, runtime) {
    program
      .command("version")
      .description("print the version (as --version, -V and -v do)")
      .action(() => {
        runtime.stdout.write(`${VERSION}\n`);
      });
  },
  keys(program, runtime) {
    const keys = program
      .command("keys")
      .description("store API keys in your user config folder, list where each key comes from");
    addCommon(
      keys
        .command("set")
        .description(
          "store a provider's key: typed at a hidden prompt, or the first line of standard input (never an argument)",
        )
        .argument(
          "<provider>",
          "a provider (apimart, xcompute, jimmyai, duoyuanx, xai) or a configured gateway",
        ),
      false,
    ).action(async (provider: string, flags: CommonFlags) =>
      (await import("../commands/keys.js")).runKeysSet(provider, flags, runtime),
    );
    addCommon(
      keys.command("list").description("which providers have a key and where it comes from (masked)"),
      false,
    ).action(async (flags: CommonFlags) => (await import("../commands/keys.js")).runKeysList(flags, runtime));
    addCommon(keys.command("path").description("print the file `keys set` writes"), false).action(
      async (flags: CommonFlags) => (await import("../commands/keys.js")).runKeysPath(flags, runtime),
    );
  },
  doctor(program, runtime) {
    addCommon(
      program
        .command("doctor")
        .description(
          "check Node, config files, keys, the journal, and whether each gateway answers and takes its key (free requests only)",
        ),
    ).action(async (flags: CommonFlags) =>
      (await import("../commands/doctor.js")).runDoctorCommand(flags, runtime),
    );
  },
  journal(program, runtime) {
    const journal = program
      .command("journal")
      .description("copy the job journal between this machine's file and a shared PostgreSQL journal");
    addCommon(
      journal
        .command("import")
        .description(
          "copy a local journal file into the shared journal ($GROKVID_JOURNAL_URL); importing again adds nothing",
        )
        .argument("[file]", "a journal.jsonl; default: the one in $GROKVID_HOME"),
      false,
    ).action(async (file: string | undefined, flags: CommonFlags) =>
      (await import("../commands/journal.js")).runJournalImport(file, flags, runtime),
    );
    addCommon(
      journal
        .command("export")
        .description("print every record of the journal in use (shared or file) as JSON lines, oldest first"),
      false,
    ).action(async (flags: CommonFlags) =>
      (await import("../commands/journal.js")).runJournalExport(flags, runtime),
    );
  },
  config(program, runtime) {
    const config = program.command("config").description("work with configuration files");
    addCommon(
      config
        .command("trust")
        .description(
          "trust a project's config file as it is now, so its base URLs are used and its code may run",
        )
        .argument("[file]", "the file; default: the one grokvid finds from this folder"),
      false,
    ).action(async (file: string | undefined, flags: CommonFlags) =>
      (await import("../commands/config.js")).runConfigTrust(file, flags, runtime),
    );
    addCommon(
      config.command("path").description("print your own config file (get, set, unset and edit use it)"),
      false,
    ).action(async (flags: CommonFlags) =>
      (await import("../commands/config.js")).runConfigPath(flags, runtime),
    );
    addCommon(
      config
        .command("get")
        .description("print a setting of your config file, or its default when unset (an apiKey is masked)")
        .argument("<key>", "a key path such as poll.interval or providers.apimart.model"),
      false,
    ).action(async (key: string, flags: CommonFlags) =>
      (await import("../commands/config.js")).runConfigGet(key, flags, runtime),
    );
    addCommon(
      config
        .command("set")
        .description(
          "set a setting in your config file, checked before the file is written (keys: use keys set)",
        )
        .argument("<key>", "a key path such as poll.interval or providers.apimart.defaults.duration")
        .argument("<value>", "the value; numbers, true/false and JSON are read as such"),
      false,
    ).action(async (key: string, value: string, flags: CommonFlags) =>
      (await import("../commands/config.js")).runConfigSet(key, value, flags, runtime),
    );
    addCommon(
      config
        .command("unset")
        .description("take a setting out of your config file, so its default applies again")
        .argument("<key>", "a key path such as poll.interval or providers.apimart.defaults.duration"),
      false,
    ).action(async (key: string, flags: CommonFlags) =>
      (await import("../commands/config.js")).runConfigUnset(key, flags, runtime),
    );
    addCommon(
      config
        .command("list")
        .description(
          "every setting in effect, defaults included, and where each comes from: a variable, a file or default (keys masked)",
        ),
      false,
    ).action(async (flags: CommonFlags) =>
      (await import("../commands/config.js")).runConfigList(flags, runtime),
    );
    addCommon(
      config
        .command("edit")
        .description("edit your config file in $VISUAL or $EDITOR; saved only if it is valid"),
      false,
    ).action(async (flags: CommonFlags) =>
      (await import("../commands/config.js")).runConfigEdit(flags, runtime),
    );
  },
};
