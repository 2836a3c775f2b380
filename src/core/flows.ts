/**
 * Everything the client does, behind one dynamic import: loading the client costs nothing until a
 * method runs, so `--help`, `--dry-run` and scripts that never send pay only for what they use.
 */
export { resolvePoll } from "../config/resolve.js";
export { parseJobSpecs } from "./batch-file.js";
export { previewCreate, runCreate } from "./create-flow.js";
export { downloadTarget, followTask, saveVideo } from "./follow.js";
export { resumeJobs } from "./resume.js";
export { loadSessionConfig, openJournal, withTaskSession } from "./session.js";
export { fetchTask } from "./tasks.js";
