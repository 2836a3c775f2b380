/**
 * The parts of waiting and downloading, behind one dynamic import for the client's wait and
 * download: loading the client itself costs nothing until one of its methods runs.
 */
export { resolvePoll } from "../../config/resolve.js";
export { downloadTarget, followTask, saveVideo } from "../jobs/follow.js";
export { withTaskSession } from "./session.js";
