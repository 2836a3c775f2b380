import { ApiError, ExitCode } from "../errors.js";

/** A 2xx body we cannot read: the provider changed shape or something in between mangled it. */
export function unexpectedResponse(provider: string, what: string): ApiError {
  return new ApiError(`unexpected response from ${provider}: ${what}`, ExitCode.provider);
}
