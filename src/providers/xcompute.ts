import { makeApimartFamily } from "./apimart-family.js";

/** xcompute resells apimart's models: same request, create answer `data` is an object keyed `id`. */
export const xcompute = makeApimartFamily(
  "xcompute",
  "https://xcompute.us",
  "grok-imagine-1.0-video-apimart",
);
