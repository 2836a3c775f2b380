import { ApiError, ExitCode } from "../../util/errors.js";

/**
 * Why a download failed, so the caller knows what helps: `refused` (403/404/410: the URL may have
 * expired, a fresh status query gives a new one), `transient` (network, 5xx, a short body: try
 * again, the .part file is kept), `final` (not a video, nothing to fetch).
 */
export class DownloadError extends ApiError {
  constructor(
    message: string,
    readonly reason: "refused" | "transient" | "final",
    details: { status?: number; cause?: unknown; hint?: string } = {},
  ) {
    super(message, ExitCode.provider, details);
  }
}
