import { makeApimartFamily } from "./apimart-family.js";
import { xcomputeDef } from "./apimart-family-spec.js";

/** xcompute resells apimart's models: same request, create answer `data` is an object keyed `id`. */
export const xcompute = makeApimartFamily(xcomputeDef);
