/**
 * Edit distance with adjacent swaps counting as one edit (optimal string alignment): "vidoe" is
 * one slip from "video", as a typist sees it.
 */
export function editDistance(a: string, b: string): number {
  // Rows of the classic table; three are enough for the swap rule.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `word`, if it is close enough to be a slip rather than a
 * different name: at most a third of the word's letters wrong, and at least one allowed.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const trimmed = word.trim();
  const wanted = trimmed.toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    // The word itself is no slip: the caller rejected it for another reason. A difference in case
    // only (distance 0) is the closest slip of all, for names compared exactly (config keys).
    if (candidate === trimmed) continue;
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** "; did you mean apimart?" to append to a message, or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? "" : `; did you mean ${match}?`;
}
