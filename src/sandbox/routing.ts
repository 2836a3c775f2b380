import { type AuthFailure, checkAuth, type ErrorRenderer, FAILURE_STATUS, type FailureKind } from "./auth.js";

export type { ErrorRenderer } from "./auth.js";
import { type RequestContext, sendJson } from "./context.js";
import { applyFault } from "./fault-answers.js";
import type { RequestTarget } from "./faults.js";
import type { TaskOutcome } from "./ids.js";
import { findCreateMarker, readOutcome } from "./tasks.js";

/** Renders a failure in one dialect's documented (or inferred) error body. */

export interface Route {
  /** Literal segments, with ":id" standing for one path parameter. */
  pattern: readonly string[];
  methods: readonly string[];
  /** The fault target this endpoint is; endpoints without one are never faulted. */
  target?: RequestTarget;
  handle(ctx: RequestContext, id: string): void | Promise<void>;
}

export function sendFailure(
  ctx: RequestContext,
  render: ErrorRenderer,
  kind: FailureKind,
  message: string,
  param?: string,
): void {
  // Retry-After is not documented by any gateway; the sandbox sends it so clients can prove they honour it.
  const headers = kind === "rate_limited" ? { "Retry-After": "1" } : {};
  sendJson(ctx, FAILURE_STATUS[kind], render(kind, message, param), headers);
}

function matchRoute(route: Route, segments: readonly string[]): string | undefined {
  if (route.pattern.length !== segments.length) return undefined;
  let id = "";
  for (const [index, literal] of route.pattern.entries()) {
    const segment = segments[index] ?? "";
    if (literal === ":id") id = segment;
    else if (literal !== segment) return undefined;
  }
  return id;
}

export async function dispatchRoutes(
  ctx: RequestContext,
  routes: readonly Route[],
  render: ErrorRenderer,
): Promise<void> {
  const allowed: string[] = [];
  for (const route of routes) {
    const id = matchRoute(route, ctx.segments);
    if (id === undefined) continue;
    if (route.methods.includes(ctx.method)) {
      // Faults strike before auth and validation, as a rate limiter or a broken proxy in front would.
      if (route.target !== undefined && (await applyFault(ctx, route.target, render))) return;
      await route.handle(ctx, id);
      return;
    }
    allowed.push(...route.methods);
  }
  if (allowed.length > 0) {
    sendJson(ctx, 405, render("method_not_allowed", `method ${ctx.method} not allowed`), {
      Allow: allowed.join(", "),
    });
    return;
  }
  sendFailure(ctx, render, "not_found", `no route for ${ctx.method} ${ctx.req.url ?? ""}`);
}

/** Answers auth failures; returns true when the request was answered. */
export function rejectUnauthorized(
  ctx: RequestContext,
  render: ErrorRenderer,
  operation: "create" | "query",
): boolean {
  const failure: AuthFailure | undefined = checkAuth(ctx.req, operation);
  if (!failure) return false;
  sendFailure(ctx, render, failure.kind, failure.message);
  return true;
}

/** Turns the non-JSON body cases into the dialect's 400/413; returns the JSON value otherwise. */
export function requireJsonBody(ctx: RequestContext, render: ErrorRenderer): { value: unknown } | undefined {
  const body = ctx.body;
  if (body.kind === "json") return { value: body.value };
  if (body.kind === "too-large") sendFailure(ctx, render, "payload_too_large", "request body too large");
  else if (body.kind === "invalid-json")
    sendFailure(ctx, render, "invalid_request", "request body is not valid JSON");
  else sendFailure(ctx, render, "invalid_request", "request body must be a JSON object");
  return undefined;
}

/** `[ratelimit]` and `[error500]` in a prompt script a refused create; returns true when answered. */
export function answerCreateMarker(ctx: RequestContext, render: ErrorRenderer, prompt: string): boolean {
  const marker = findCreateMarker(prompt);
  if (marker === "ratelimit") {
    sendFailure(ctx, render, "rate_limited", "sandbox: rate limited ([ratelimit] in prompt), retry later");
    return true;
  }
  if (marker === "error500") {
    sendFailure(ctx, render, "server_error", "sandbox: internal server error ([error500] in prompt)");
    return true;
  }
  return false;
}

/** A never-finish fault hangs the task the same way `[never]` in the prompt does. */
export function readTaskOutcome(ctx: RequestContext, prompt: string): TaskOutcome {
  return ctx.fault === "never-finish" ? "never" : readOutcome(prompt);
}
