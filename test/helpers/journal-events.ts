import type { JournalEvent } from "../../src/core/journal/journal.js";

/** A job's `created` record, as the journal's own tests append it: job `id`, request `hash-<id>`. */
export function created(id: string, at = "2026-01-01T00:00:00.000Z"): JournalEvent {
  return {
    type: "created",
    at,
    id,
    provider: "apimart",
    baseUrl: "https://api.apimart.ai",
    model: "grok-imagine-1.5-video-apimart",
    params: { prompt: `prompt ${id}`, images: [] },
    requestHash: `hash-${id}`,
  };
}

/** The job's video is ready, a minute after its create. */
export function succeeded(id: string): JournalEvent {
  return {
    type: "status",
    at: "2026-01-01T00:01:00.000Z",
    id,
    provider: "apimart",
    status: "succeeded",
    progress: 100,
    videoUrl: "https://x/v.mp4",
    error: null,
  };
}
