export const taskStatuses = ["queued", "running", "succeeded", "failed", "cancelled", "expired"] as const;
export type TaskStatus = (typeof taskStatuses)[number];

const terminal: ReadonlySet<TaskStatus> = new Set(["succeeded", "failed", "cancelled", "expired"]);

export function isTerminal(status: TaskStatus): boolean {
  return terminal.has(status);
}
