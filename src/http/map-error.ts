import { ApiError, ExitCode } from "../util/errors.js";
import type { ProviderErrorInfo } from "../providers/types.js";
import { sanitizeText } from "../util/untrusted.js";

export interface ErrorContext {
  provider: string;
  /** The environment variable that holds this provider's key, for the hint. */
  keyVariable: string;
  /** Where the key was really read from (Gateway.keyHint), when known. */
  keyHint?: string;
  taskId?: string;
}

/** One factory from an HTTP answer to a typed error, so every command reports a refusal the same way. */
export function mapHttpError(
  status: number,
  info: ProviderErrorInfo | undefined,
  ctx: ErrorContext,
): ApiError {
  // The gateway's words are one line of plain text here, whoever parsed them.
  const message = info?.message ? sanitizeText(info.message, 1000).trim() : "";
  const code = info?.code ? sanitizeText(info.code, 100).trim() : "";
  const said = message ? `: ${message}` : "";
  const details = { status, ...(code ? { providerCode: code } : {}) };
  if (status === 402 || info?.quota) {
    return new ApiError(`${ctx.provider}: out of balance or quota (HTTP ${status})${said}`, ExitCode.quota, {
      ...details,
      hint: `top up your ${ctx.provider} account, then run the command again`,
    });
  }
  if (status === 401 || status === 403) {
    return new ApiError(`${ctx.provider} rejected the API key (HTTP ${status})${said}`, ExitCode.auth, {
      ...details,
      hint: ctx.keyHint ?? `check ${ctx.keyVariable} or providers.${ctx.provider}.apiKey in the config file`,
    });
  }
  if (info?.notFound || (status === 404 && ctx.taskId !== undefined)) {
    return new ApiError(
      `task ${ctx.taskId ?? ""} was not found on ${ctx.provider} (HTTP ${status})${said}`,
      ExitCode.provider,
      {
        ...details,
        notFound: true,
        hint: "check the id and --provider (a task lives on the gateway that created it)",
      },
    );
  }
  if (status === 429) {
    return new ApiError(`${ctx.provider} is rate limiting requests (HTTP 429)${said}`, ExitCode.provider, {
      ...details,
      hint: "wait a little and run the command again",
    });
  }
  return new ApiError(`${ctx.provider} answered HTTP ${status}${said}`, ExitCode.provider, details);
}
