import type { RequestContext } from "./context.js";
import { handleAimlapi } from "./dialect-aimlapi.js";
import { handleFal } from "./dialect-fal.js";
import { handleOpenrouter } from "./dialect-openrouter.js";
import { handleReplicate } from "./dialect-replicate.js";
import type { PlatformDialect } from "./types.js";

/** The hosted platforms of providers.md section 10, each under its own prefix like the gateways. */
export function routePlatform(ctx: RequestContext, dialect: PlatformDialect): Promise<void> {
  switch (dialect) {
    case "fal":
      return handleFal(ctx);
    case "replicate":
      return handleReplicate(ctx);
    case "openrouter":
      return handleOpenrouter(ctx);
    case "aimlapi":
      return handleAimlapi(ctx);
  }
}
