import { makeApimartFamily } from "./apimart-family.js";

export const apimart = makeApimartFamily(
  "apimart",
  "https://api.apimart.ai",
  "grok-imagine-1.5-video-apimart",
);
