import { UsageError } from "../../util/errors.js";

/** Checked before any lookup or request: "" or ".." would turn into another URL entirely. */
export function assertTaskId(id: string): void {
  if (id.trim() === "" || id === "." || id === ".." || /[\s\p{Cc}]/u.test(id)) {
    throw new UsageError(`"${id.replace(/\p{Cc}/gu, "?")}" is not a task id`);
  }
}
