import { ApiError, ExitCode } from "../util/errors.js";
import { sanitizeText } from "../util/untrusted.js";

/** A 2xx body we cannot read: the provider changed shape or something in between mangled it. */
export function unexpectedResponse(provider: string, what: string): ApiError {
  // `what` may quote the gateway's own words.
  return new ApiError(`unexpected response from ${provider}: ${sanitizeText(what, 1000)}`, ExitCode.provider);
}
