import { FAILURE_STATUS, type FailureKind } from "./auth.js";
import { type RequestContext, sendBytes, sendJson } from "./context.js";
import type { RequestTarget } from "./faults.js";
import type { ErrorRenderer } from "./auth.js";
import { hostileMessage } from "./hostile.js";
import type { AnySandboxDialect, Fault, SandboxVariants } from "./types.js";

function describeServerError(status: number | undefined): { kind: FailureKind; message: string } {
  if (status === 502) return { kind: "bad_gateway", message: "sandbox fault: bad gateway, upstream failed" };
  if (status === 503) return { kind: "service_unavailable", message: "sandbox fault: service unavailable" };
  return { kind: "server_error", message: "sandbox fault: internal server error" };
}

const CUT = "<cut>";

/** The dialect's success envelope up to where the task id would be, so no task can be read out of it. */
function successEnvelope(
  dialect: AnySandboxDialect | "files",
  target: RequestTarget,
  variants: SandboxVariants,
) {
  switch (dialect) {
    case "apimart":
      return target === "create" ? { code: 200, data: [{ task_id: CUT }] } : { code: 200, data: { id: CUT } };
    case "xcompute":
      return target === "query" && variants.xcomputeQuery === "flat"
        ? { id: CUT }
        : { code: 200, data: { id: CUT } };
    case "jimmyai": {
      const task = { task_id: CUT };
      return target === "query" && variants.jimmyaiQuery === "flat"
        ? task
        : { code: "20000", msg: "ok", data: task };
    }
    case "xai":
      return { request_id: CUT };
    case "fal":
      // A status answer names no id: cut before the status word instead.
      return target === "create" ? { request_id: CUT } : { status: CUT };
    case "replicate":
    case "openrouter":
    case "aimlapi":
    case "duoyuanx":
    case "files":
      return { id: CUT };
  }
}

function malformedJson(ctx: RequestContext, target: RequestTarget): string {
  const text = JSON.stringify(successEnvelope(ctx.entry.dialect, target, ctx.variants));
  return text.slice(0, text.indexOf(JSON.stringify(CUT)));
}

/** S3-style signed-URL expiry, stamped from the injected clock so the body is reproducible. */
function expiredXml(nowMs: number): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    "<Error><Code>AccessDenied</Code><Message>Request has expired</Message>" +
    `<X-Amz-Expires>86400</X-Amz-Expires><Expires>${iso(nowMs - 60_000)}</Expires>` +
    `<ServerTime>${iso(nowMs)}</ServerTime></Error>\n`
  );
}

// What a CDN login wall or error interstitial serves with a cheerful 200.
const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Access denied</title></head>' +
  "<body><h1>Access denied</h1><p>This link is invalid or has expired. Please sign in again.</p></body></html>\n";

function sendText(ctx: RequestContext, status: number, contentType: string, text: string): void {
  const bytes = Buffer.from(text);
  sendBytes(ctx, status, { "Content-Type": contentType, "Content-Length": bytes.length }, bytes);
}

/** Resolves true once `ms` has passed, false as soon as the connection closes (client gone or close()). */
function hold(ctx: RequestContext, ms: number | undefined): Promise<boolean> {
  const socket = ctx.req.socket;
  if (socket.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer =
      ms === undefined
        ? undefined
        : setTimeout(() => {
            socket.off("close", onClose);
            resolve(true);
          }, ms);
    function onClose() {
      clearTimeout(timer);
      resolve(false);
    }
    socket.once("close", onClose);
  });
}

/**
 * Spends the first matching fault on this request. Returns true when the request is dealt with
 * (answered or dropped); false lets the normal handler run, with ctx.fault shaping its answer.
 */
export async function applyFault(
  ctx: RequestContext,
  target: RequestTarget,
  render: ErrorRenderer,
): Promise<boolean> {
  // HEAD has no body to cut, and a probing HEAD must not spend the fault meant for the GET after it.
  if (target === "download" && ctx.method !== "GET") return false;
  const fault: Fault | undefined = ctx.faults.take(target, ctx.entry.dialect);
  if (!fault) return false;
  ctx.entry.fault = fault.kind;
  ctx.fault = fault.kind;
  switch (fault.kind) {
    case "rate-limit": {
      const seconds = fault.retryAfter ?? 1;
      const message = `sandbox fault: rate limited, retry after ${seconds} s`;
      sendJson(ctx, FAILURE_STATUS.rate_limited, render("rate_limited", message), {
        "Retry-After": String(seconds),
      });
      return true;
    }
    case "server-error": {
      const { kind, message } = describeServerError(fault.status);
      sendJson(ctx, FAILURE_STATUS[kind], render(kind, message));
      return true;
    }
    case "reset":
      // A download first gets half its body (see cutShort); anything else is dropped unanswered.
      if (target === "download") return false;
      ctx.req.socket.resetAndDestroy();
      return true;
    case "stall":
      return !(await hold(ctx, fault.ms));
    case "malformed-json":
      sendText(ctx, 200, "application/json; charset=utf-8", malformedJson(ctx, target));
      return true;
    case "expired-url":
      sendText(ctx, 403, "application/xml", expiredXml(ctx.nowMs));
      return true;
    case "wrong-type":
      sendText(ctx, 200, "text/html; charset=utf-8", HTML_PAGE);
      return true;
    case "truncate":
    case "never-finish":
    case "downscaled":
      // They change the normal answer rather than replace it: context.ts cuts it, the create handler
      // hangs it or shrinks the video it will deliver (display-size.ts).
      return false;
    case "redirect-file":
      sendBytes(ctx, 302, { Location: "file:///etc/passwd", "Content-Length": 0 });
      return true;
    case "no-content-type": {
      // An error page with no type at all: only its bytes say it is not a video.
      const page = Buffer.from(HTML_PAGE);
      sendBytes(ctx, 200, { "Content-Length": page.length }, page);
      return true;
    }
    case "json-octet-stream":
      sendText(
        ctx,
        200,
        "application/octet-stream",
        JSON.stringify({ error: { message: "object not found" } }),
      );
      return true;
    case "oversized-range":
    case "trickle":
      // The real video, sent wrongly: files.ts pads the range, context.ts paces the body.
      if (fault.ms !== undefined) ctx.faultMs = fault.ms;
      return false;
    case "echo-key":
    case "escape-message":
      // A query goes on to the handler, which answers a failed task carrying this message (hostile.ts).
      if (target !== "create") return false;
      sendJson(
        ctx,
        FAILURE_STATUS.invalid_request,
        render("invalid_request", hostileMessage(fault.kind, ctx.req)),
      );
      return true;
    case "deep-json":
    case "rekey":
    case "hostile-cost":
      // The normal answer, changed: sendJson nests a field deep (deep-json), the query handler swaps
      // the id (rekey), xai's done answer reports an absurd cost (hostile-cost).
      return false;
  }
}
