import type { IncomingMessage } from "node:http";

/** The failure classes every dialect must be able to render in its own error shape. */
export type FailureKind =
  | "invalid_request"
  | "unauthorized"
  | "payment_required"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "rate_limited"
  | "server_error"
  | "bad_gateway"
  | "service_unavailable";

export const FAILURE_STATUS: Record<FailureKind, number> = {
  invalid_request: 400,
  unauthorized: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  rate_limited: 429,
  server_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
};

export interface AuthFailure {
  kind: "unauthorized" | "forbidden" | "payment_required";
  message: string;
}

/**
 * Keys script the outcome: "invalid" -> 401, "forbidden" -> 403, "nobalance" -> 402 on create only
 * (a drained account can still look at its tasks). The key itself never leaves this function.
 */
export function checkAuth(req: IncomingMessage, operation: "create" | "query"): AuthFailure | undefined {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.*)$/i.exec(header.trim());
  const key = match?.[1]?.trim() ?? "";
  if (key === "")
    return { kind: "unauthorized", message: "missing API key: send Authorization: Bearer <key>" };
  return judgeKey(key, operation);
}

/** What a key (already taken out of whatever header its dialect uses) scripts; "" is left to the caller. */
export function judgeKey(key: string, operation: "create" | "query"): AuthFailure | undefined {
  if (key.includes("invalid")) return { kind: "unauthorized", message: "invalid API key" };
  if (key.includes("forbidden"))
    return { kind: "forbidden", message: "this API key may not use this resource" };
  if (operation === "create" && key.includes("nobalance")) {
    return { kind: "payment_required", message: "insufficient balance, please top up" };
  }
  return undefined;
}

/** How a dialect writes an error answer: its own JSON shape for a failure of this kind. */
export type ErrorRenderer = (kind: FailureKind, message: string, param?: string) => unknown;
