import { makeApimartFamily } from "./apimart-family.js";
import { apimartDef } from "./apimart-family-spec.js";

export const apimart = makeApimartFamily(apimartDef);
