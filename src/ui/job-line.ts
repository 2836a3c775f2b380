import { safeText } from "./output.js";
import { fitMiddle, fitWidth, textWidth } from "./text-width.js";

/**
 * The parts of a line about one job, kept apart so a narrow terminal can shorten each in its own
 * way: `line 3 "fox in fresh snow": task_an000a40mxcv4ic04hv540nq0dci5bu: running 45% (12s)`.
 */
export interface JobLine {
  /** Which job of many (`line 3` of a batch file); "" for a command's only job. */
  label: string;
  /** The job's prompt as given (any length, tabs and newlines included); "" when not shown. */
  prompt: string;
  /** The task id; "" before the gateway has given one. */
  id: string;
  /** What a person watches (`running 45% (12s)`, `submitting to apimart`): given up last. */
  state: string;
}

/** Cells of a prompt a line shows at most: enough to tell a batch's jobs apart, not a paragraph. */
export const PROMPT_CELLS = 40;
/** `task_an…0dci5bu`: both ends of an id, what a person compares it by, before a prompt is cut. */
const ID_CELLS = 15;
/** A prompt's start kept before the id gives way further: a few words tell jobs apart. */
const PROMPT_MIN_CELLS = 10;
/** Below this an id (`ta…bu`) tells nothing, and the line drops it. */
const ID_MIN_CELLS = 5;
/** Below this a prompt (`fo…`) tells nothing, and the line drops it. */
const PROMPT_LAST_CELLS = 4;

function render(label: string, prompt: string, id: string, state: string): string {
  const quoted = prompt ? `"${prompt}"` : "";
  const name = label && quoted ? `${label} ${quoted}` : label || quoted;
  const body = id ? `${id}: ${state}` : state;
  return name ? `${name}: ${body}` : body;
}

/** The parts as a terminal may show them: one line, no control sequence, no key. */
function clean(line: JobLine): JobLine {
  return {
    label: safeText(line.label),
    prompt: fitWidth(safeText(line.prompt.replace(/\s+/g, " ").trim()), PROMPT_CELLS),
    id: safeText(line.id),
    state: safeText(line.state),
  };
}

/** The whole line, for a log (stderr not a terminal): only the prompt is cut, to its start. */
export function describeJobLine(line: JobLine): string {
  const { label, prompt, id, state } = clean(line);
  return render(label, prompt, id, state);
}

/**
 * describeJobLine in at most `width` cells. What gives way, in order: the middle of the id (down
 * to its two ends), the end of the prompt (down to its first words), the rest of the id, the rest
 * of the prompt, the label; the state (status, percent, elapsed time) goes last, cut at its end.
 * An id without a prompt beside it is the job's only name, and is cut further before it goes.
 */
export function fitJobLine(line: JobLine, width: number): string {
  const { label, prompt, id, state } = clean(line);
  const full = render(label, prompt, id, state);
  if (textWidth(full) <= width) return full;
  // The cells left for one part when the others are as given ("-" holds the part's place).
  const idRoom = (p: string) => width - textWidth(render(label, p, "-", state)) + 1;
  const promptRoom = (i: string) => width - textWidth(render(label, "-", i, state)) + 1;
  const enough = (text: string, cells: number) => Math.min(cells, textWidth(text));

  if (id && idRoom(prompt) >= enough(id, ID_CELLS))
    return render(label, prompt, fitMiddle(id, idRoom(prompt)), state);
  const shortId = fitMiddle(id, ID_CELLS);
  if (prompt && promptRoom(shortId) >= enough(prompt, PROMPT_MIN_CELLS))
    return render(label, fitWidth(prompt, promptRoom(shortId)), shortId, state);
  // A job with a prompt is told apart by it; `ta…bu` is worth less than the prompt's next words.
  if (!prompt && id && idRoom("") >= enough(id, ID_MIN_CELLS))
    return render(label, "", fitMiddle(id, idRoom("")), state);
  if (prompt && promptRoom("") >= enough(prompt, PROMPT_LAST_CELLS))
    return render(label, fitWidth(prompt, promptRoom("")), "", state);
  const named = render(label, "", "", state);
  return textWidth(named) <= width ? named : fitWidth(state, width);
}

/** Another grokvid holding a job: "pid 412", or "pid 412 on worker-3" when the journal is shared. */
export function holderName(holder: { pid: number; host?: string }): string {
  return holder.host === undefined ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
}
