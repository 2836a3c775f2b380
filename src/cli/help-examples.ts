import { ExitCode } from "../util/errors.js";

/**
 * Two or three real command lines at the end of each command's `--help`, keyed by the command's
 * path (`config trust`). A test holds every declared command to having them, and each to naming
 * only flags its command declares, so an example cannot go stale.
 */
export const helpExamples: Readonly<Record<string, readonly string[]>> = {
  create: [
    'grokvid create --provider apimart --prompt "a dog running on a beach" --duration 10 --ratio 9:16',
    'grokvid create --provider xai --prompt "a cat playing with a ball" --image ./cat.png -o cat.mp4',
    'grokvid create --provider sandbox --prompt "a red fox in snow" --dry-run',
  ],
  edit: [
    'grokvid edit task_01JN... --prompt "make it night, with rain" --download',
    'grokvid edit https://example.com/clip.mp4 --provider xai --prompt "add snow" --wait',
  ],
  extend: [
    'grokvid extend task_01JN... --prompt "the dog jumps into the waves" --duration 6 -o longer.mp4',
    'grokvid extend task_01JN... --prompt "the camera pulls back" --dry-run',
  ],
  status: ["grokvid status task_01JN...", "grokvid status task_01JN... --json | jq -r .status"],
  cancel: ["grokvid cancel pred_abc123", "grokvid cancel fal_abc123 fal_def456 --json"],
  wait: ["grokvid wait task_01JN... --timeout 20m", "grokvid wait task_01JN... --interval 10s --json"],
  download: [
    "grokvid download task_01JN... -o dog.mp4",
    "grokvid download task_01JN... -o videos/ --force",
    "grokvid download task_01JN... -o dog.mp4 --strict",
  ],
  batch: [
    'grokvid batch jobs.jsonl --manifest manifest.json --out-dir videos --template "{index}-{slug}.mp4"',
    "cat jobs.jsonl | grokvid batch - --retry-failed",
    "grokvid batch jobs.jsonl --manifest run.json --gallery --open",
  ],
  gallery: [
    "grokvid gallery --open",
    "grokvid gallery --batch run.json -o run.html",
    "grokvid gallery --status succeeded --provider xai --since 24h -o today.html",
  ],
  jobs: [
    "grokvid jobs",
    "grokvid jobs --status failed --provider apimart --limit 0 --wide",
    "grokvid jobs --json",
  ],
  balance: ["grokvid balance --provider apimart", "grokvid balance --provider duoyuanx --json"],
  providers: ["grokvid providers", "grokvid providers --wide", "grokvid providers --json"],
  resume: ["grokvid resume", "grokvid resume --download --provider xai --concurrency 2"],
  mcp: [
    "grokvid mcp --provider xai --max-usd 2 --out-dir ~/videos",
    "grokvid mcp --provider apimart --max-usd none --max-jobs 3 --allow-read ~/Pictures",
    "grokvid mcp --provider sandbox --out-dir /tmp/videos --max-wait 30s",
  ],
  sandbox: [
    "grokvid sandbox --port 8787",
    "grokvid sandbox --delay 10s --fault rate-limit:query:2 --fault truncate:download",
  ],
  config: ["grokvid config path", "grokvid config set poll.interval 10s", "grokvid config trust"],
  "config trust": ["grokvid config trust", "grokvid config trust ./.grokvideorc.json"],
  "config path": ["grokvid config path", '$EDITOR "$(grokvid config path)"'],
  "config get": ["grokvid config get defaultProvider", "grokvid config get providers.xai"],
  "config set": ["grokvid config set defaultProvider xai", "grokvid config set download.dir ~/videos"],
  "config unset": ["grokvid config unset providers.apimart.defaults.duration", "grokvid config unset poll"],
  "config list": ["grokvid config list", "grokvid config list --json"],
  "config edit": ["grokvid config edit", "EDITOR=nano grokvid config edit"],
  keys: ["grokvid keys set xai", "grokvid keys list", "grokvid keys path"],
  "keys set": ["grokvid keys set apimart", "printf '%s\\n' \"$KEY\" | grokvid keys set my-proxy"],
  "keys list": ["grokvid keys list", "grokvid keys list --json"],
  "keys path": ["grokvid keys path", 'ls -l "$(grokvid keys path)"'],
  journal: [
    "GROKVID_JOURNAL_URL=postgres://me@db.lan/grokvid grokvid journal import",
    "grokvid journal export > journal.jsonl",
  ],
  "journal import": [
    "GROKVID_JOURNAL_URL=postgres://me@db.lan/grokvid grokvid journal import",
    "grokvid journal import ~/old-home/journal.jsonl",
  ],
  "journal export": [
    "grokvid journal export > journal.jsonl",
    'grokvid journal export | grep \'"type":"created"\'',
  ],
  doctor: ["grokvid doctor", "grokvid doctor --provider xai", "grokvid doctor --json"],
  completion: [
    "source <(grokvid completion bash)",
    "source <(grokvid completion zsh)",
    "grokvid completion fish > ~/.config/fish/completions/grokvid.fish",
  ],
  version: ["grokvid version", "grokvid -v"],
};

/** The top-level help's examples: one line per step of the usual day, from a first job to a batch. */
export const programExamples: readonly string[] = [
  'grokvid create --provider sandbox --prompt "a red fox in snow" --wait --download',
  "grokvid keys set xai",
  'grokvid create --provider xai --prompt "a dog running on a beach" -o dog.mp4',
  "grokvid jobs --status failed",
  "grokvid batch jobs.jsonl --manifest run.json --gallery --open",
];

export function formatExamples(examples: readonly string[]): string {
  return `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`;
}

/** What each exit code means (design.md); keyed by ExitCode's names so none is left out. */
const EXIT_MEANINGS = {
  ok: "success",
  internal: "unexpected internal error (stack trace with --verbose)",
  usage: "invalid usage or input; nothing was sent",
  config: "configuration error: no key, or an unreadable or invalid config file",
  auth: "key rejected (401, 403)",
  quota: "out of balance or quota (402)",
  provider: "provider or network error after retries",
  taskFailed: "the task failed, was cancelled or expired on the provider's side",
  timeout: "timed out waiting; the task may still be running (the message says how to resume)",
  interrupted: "interrupted (Ctrl-C); a submitted task is kept (the message says how to resume)",
} as const satisfies Record<keyof typeof ExitCode, string>;

const ENVIRONMENT: ReadonlyArray<readonly [string, string]> = [
  ["GROKVID_PROVIDER", "provider used when --provider is not given"],
  ["GROKVID_<PROVIDER>_API_KEY", "the provider's key, e.g. GROKVID_APIMART_API_KEY"],
  ["XAI_API_KEY", "xai's key when GROKVID_XAI_API_KEY is not set"],
  ["GROKVID_<PROVIDER>_BASE_URL", "the provider's base URL (a mirror, or the sandbox)"],
  ["GROKVID_CONFIG", "read this config file instead of searching"],
  ["GROKVID_HOME", "folder of the journal and other state (default: the platform data folder)"],
  ["NO_COLOR", "set to turn colours off"],
  ["FORCE_COLOR", "set to force colours on (0 turns them off)"],
];

/**
 * The end of the top-level `--help`: the environment, the exit-code contract, then examples and
 * where each command's own flags and examples are.
 */
export function formatReference(): string {
  const width = Math.max(...ENVIRONMENT.map(([name]) => name.length));
  const env = ENVIRONMENT.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`);
  const meanings = new Map<string, string>(Object.entries(EXIT_MEANINGS));
  const codes = Object.entries(ExitCode).map(
    ([name, code]) => `  ${String(code).padStart(3)}  ${meanings.get(name) ?? ""}`,
  );
  const more = "\nRun grokvid <command> --help for a command's flags and examples.\n";
  return `\nEnvironment:\n${env.join("\n")}\n\nExit codes:\n${codes.join("\n")}\n${formatExamples(programExamples)}${more}`;
}
