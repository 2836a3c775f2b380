import { type RequestContext, sendJson } from "./context.js";
import { handleFal } from "./dialect-fal.js";
import { handleOpenrouter } from "./dialect-openrouter.js";
import { handleReplicate } from "./dialect-replicate.js";
import type { PlatformDialect } from "./types.js";

/** The hosted platforms of providers.md section 10, each under its own prefix like the gateways. */
export async function routePlatform(ctx: RequestContext, dialect: PlatformDialect): Promise<void> {
  switch (dialect) {
    case "fal":
      return handleFal(ctx);
    case "replicate":
      return handleReplicate(ctx);
    case "openrouter":
      return handleOpenrouter(ctx);
    case "aimlapi":
      // Not spoken yet: said plainly rather than answered in a shape the platform never uses.
      sendJson(ctx, 501, { error: { message: `sandbox: the ${dialect} dialect is not implemented yet` } });
  }
}
