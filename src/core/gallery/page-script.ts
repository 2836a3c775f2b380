/**
 * The page's only script, inlined and allowed by its hash alone. It never reads data from anywhere
 * but the cards' data-* attributes and never builds markup: it hides, shows and reorders the cards
 * the renderer wrote, and writes counts with textContent, so no prompt can become code.
 *
 * Its words and sort order mirror render-html.ts, which writes the page as this script leaves it on
 * load (newest first, or a batch's line order; everything shown), so a reader without scripts sees
 * the same numbers.
 */
export const PAGE_SCRIPT = `
(() => {
  "use strict";
  const byId = (id) => document.getElementById(id);
  const list = byId("cards");
  const search = byId("filter-search");
  const status = byId("filter-status");
  const provider = byId("filter-provider");
  const sort = byId("sort");
  const shown = byId("shown-count");
  const cost = byId("shown-cost");
  const empty = byId("no-match");
  if (!list || !search || !status || !provider || !sort || !shown || !cost || !empty) return;
  const cards = Array.from(list.children);
  const total = cards.length;

  const numberOf = (text) => {
    if (text === undefined || text === "") return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  };
  // Whole micro-dollars, so a total does not depend on the order it was summed in.
  const microsOf = (card) => {
    const usd = numberOf(card.dataset.cost);
    return usd === null ? null : Math.round(usd * 1e6);
  };
  const createdOf = (card) => numberOf(card.dataset.created);
  const indexOf = (card) => Number(card.dataset.index);
  const jobs = (count) => count + (count === 1 ? " job" : " jobs");
  const money = (micros) => {
    const usd = micros / 1e6;
    return "$" + (usd > 0 && usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2));
  };
  const describeCost = (count, micros, unknown, estimated) => {
    const sum = (estimated > 0 ? "Total cost ~" : "Total cost ") + money(micros);
    const note = estimated > 0 ? " (" + estimated + " estimated)" : "";
    if (unknown === 0 || count === 0) return sum + note;
    if (unknown === count) return "Cost unknown for " + jobs(unknown);
    return sum + note + " · cost unknown for " + jobs(unknown);
  };

  const matches = (card, query) =>
    (status.value === "" || card.dataset.status === status.value) &&
    (provider.value === "" || card.dataset.provider === provider.value) &&
    (query === "" || (card.dataset.search || "").includes(query));

  const filter = () => {
    const query = search.value.trim().toLowerCase();
    let count = 0;
    let micros = 0;
    let unknown = 0;
    let estimated = 0;
    for (const card of cards) {
      const match = matches(card, query);
      card.hidden = !match;
      if (!match) {
        const video = card.querySelector("video");
        if (video && !video.paused) video.pause();
        continue;
      }
      count += 1;
      const price = microsOf(card);
      if (price === null) unknown += 1;
      else micros += price;
      if (price !== null && card.dataset.costEstimate === "true") estimated += 1;
    }
    shown.textContent = "Showing " + count + " of " + jobs(total);
    cost.textContent = describeCost(count, micros, unknown, estimated);
    empty.hidden = count > 0;
  };

  // Unknown values sort last whichever way the known ones go; ties keep the page's own order.
  const byKnown = (a, b, direction) => {
    if (a === null) return b === null ? 0 : 1;
    if (b === null) return -1;
    return direction * (a - b);
  };
  const orders = {
    // A batch's page: the order it was written in, its lines' order.
    line: () => 0,
    newest: (a, b) => byKnown(createdOf(a), createdOf(b), -1),
    oldest: (a, b) => byKnown(createdOf(a), createdOf(b), 1),
    "cost-desc": (a, b) => byKnown(microsOf(a), microsOf(b), -1),
    "cost-asc": (a, b) => byKnown(microsOf(a), microsOf(b), 1),
  };
  const reorder = () => {
    const compare = orders[sort.value] || orders.newest;
    const sorted = cards.slice().sort((a, b) => compare(a, b) || indexOf(a) - indexOf(b));
    // Only move what is out of place: moving a card pauses its video.
    const changed = sorted.some((card, i) => list.children[i] !== card);
    if (changed) list.append(...sorted);
  };

  search.addEventListener("input", filter);
  status.addEventListener("change", filter);
  provider.addEventListener("change", filter);
  sort.addEventListener("change", reorder);
  // A reload keeps what the controls held; make the cards agree with them.
  reorder();
  filter();
})();
`;
