import type { Command } from "commander";
import { Option } from "commander";

/**
 * A flag's help line ends with its default, so `--help` is the whole reference; a flag that has
 * none says nothing about one ("(default: none)" tells nothing its absence does not).
 */
export function option(flags: string, description: string, defaultText?: string): Option {
  return new Option(
    flags,
    defaultText === undefined ? description : `${description} (default: ${defaultText})`,
  );
}

/**
 * `quietShort: false` leaves `-q` to the command (`jobs -q` prints ids only, as `docker ps -q`
 * does); `--quiet` stays.
 */
export function addCommon(cmd: Command, withProvider = true, { quietShort = true } = {}): Command {
  if (withProvider) {
    cmd
      .addOption(
        option(
          "--provider <name>",
          "where the job runs: apimart, xcompute, jimmyai, duoyuanx, xai, fal, replicate, openrouter, aimlapi, a gateway from the config, or sandbox (offline, in-process)",
          "$GROKVID_PROVIDER, else defaultProvider in the config file",
        ),
      )
      .addOption(
        option(
          "--base-url <url>",
          "override the provider's base URL",
          "$GROKVID_<PROVIDER>_BASE_URL, config, or the provider's own",
        ),
      );
  }
  return cmd
    .addOption(
      option(
        "--config <path>",
        "read this config file instead of searching",
        "$GROKVID_CONFIG, else search from the current folder",
      ),
    )
    .addOption(option("--json", "print one JSON document on stdout instead of text", "off"))
    .addOption(
      option(
        quietShort ? "-q, --quiet" : "--quiet",
        "print nothing on stderr but warnings and errors",
        "off",
      ),
    )
    .addOption(
      option("--verbose", "print requests, retries and stack traces on stderr (keys are never shown)", "off"),
    )
    .addOption(
      option(
        "--no-color",
        "disable colours (NO_COLOR and FORCE_COLOR are honoured too)",
        "colour on a terminal",
      ),
    );
}

export function addPolling(cmd: Command): Command {
  return cmd
    .addOption(
      option(
        "--interval <duration>",
        "time between status checks: 250ms, 5s, 2m, 1h or seconds",
        "5s, or poll.interval in config",
      ),
    )
    .addOption(
      option(
        "--timeout <duration>",
        "stop waiting after this long; 0 checks once",
        "30m, or poll.timeout in config",
      ),
    )
    .addOption(
      option(
        "--cancel-on-timeout",
        "when --timeout ends the wait, cancel the job (fal, replicate); on replicate the deadline goes with the create",
        "off, or poll.cancelOnTimeout in config",
      ),
    )
    .addOption(
      option(
        "--no-cancel-on-timeout",
        "leave the job running when the wait times out, whatever the config says",
        "as --cancel-on-timeout",
      ),
    );
}

/**
 * A repeatable flag's values. Absent, the flag is absent (no default to show as "none" in `--help`);
 * commander hands the first value no previous one.
 */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** What create, edit and extend share after their own flags: waiting, the download, a dry run. */
export function addJobResults(cmd: Command): Command {
  return cmd
    .addOption(option("-w, --wait", "wait until the job finishes; print the final status", "off"))
    .addOption(option("--download", "wait, then download the video; print the saved path", "off"))
    .addOption(
      option(
        "-o, --output <path>",
        "where to save the video (implies --download): a file, a folder for the default name (missing folders are created), or - for stdout",
        "download.dir/download.template in config, else ./{provider}-{id}.mp4",
      ),
    )
    .addOption(option("-f, --force", "overwrite an existing output file", "off"))
    .addOption(strictOption())
    .addOption(option("--dry-run", "print the exact request (key masked) and send nothing", "off"));
}

/** Every command that saves videos checks them against their request; this makes a difference fail. */
export function strictOption(): Option {
  return option(
    "--strict",
    "exit 7 when a saved video is not what was asked (length, shape, resolution) or has no readable header",
    "off: a warning",
  );
}
