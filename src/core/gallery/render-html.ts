import { createHash } from "node:crypto";
import { posix, sep, win32 } from "node:path";
import { taskStatuses } from "../../util/task-status.js";
import { formatUsd, plural } from "../../util/format.js";
import { formatUtc, readKnownCost, parseIsoMs, renderCard } from "./card-html.js";
import { escapeHtml } from "./escape-html.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_STYLE } from "./page-style.js";
import type { GalleryCard, GalleryPage } from "./types.js";
import type { PathFlavour } from "./video-href.js";

/**
 * Marks a file as a page grokvid wrote, within its first few hundred bytes, so that writing a
 * gallery again may replace it without --force. No escaped card text can contain it.
 */
export const GALLERY_GENERATOR = '<meta name="generator" content="grokvid gallery">';

export interface RenderOptions {
  /** Path rules for relating videos to the page; this machine's by default. */
  flavour?: PathFlavour;
}

/** The value CSP compares with the SHA-256 of an inline element's exact text. */
export function hashSource(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * Nothing remote, ever: the page's own style and script by hash, videos from local files only.
 * (A <meta> policy cannot set frame-ancestors; a file:// page has no headers to send it in.)
 */
function buildPolicy(style: string, script: string): string {
  return [
    "default-src 'none'",
    `script-src ${hashSource(script)}`,
    `style-src ${hashSource(style)}`,
    "media-src 'self' file:",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** Newest first, as the script's default sort leaves the cards; ties and unknown times keep input order. */
function sortNewestFirst(cards: readonly GalleryCard[]): { card: GalleryCard; index: number }[] {
  const keyed = cards.map((card, index) => ({ card, index, created: parseIsoMs(card.createdAt) }));
  keyed.sort((a, b) => {
    if (a.created === undefined || b.created === undefined) {
      const byKnown = (a.created === undefined ? 1 : 0) - (b.created === undefined ? 1 : 0);
      return byKnown || a.index - b.index;
    }
    return b.created - a.created || a.index - b.index;
  });
  return keyed.map(({ card, index }) => ({ card, index }));
}

/**
 * Same words as the page script writes after a filter: "Total cost $0.15 · cost unknown for 2 jobs",
 * "Total cost ~$0.57 (1 estimated)".
 */
export function describeCost(cards: readonly GalleryCard[]): string {
  // Whole micro-dollars, as the script adds them, so both give the same total.
  let micros = 0;
  let unknown = 0;
  let estimated = 0;
  for (const card of cards) {
    const usd = readKnownCost(card);
    if (usd === undefined) unknown += 1;
    else micros += Math.round(usd * 1e6);
    if (usd !== undefined && card.costEstimate) estimated += 1;
  }
  // A total that holds list-price estimates says so, as each of those cards does.
  const sum = `Total cost ${estimated > 0 ? "~" : ""}${formatUsd(micros / 1e6)}`;
  const note = estimated > 0 ? ` (${estimated} estimated)` : "";
  if (unknown === 0 || cards.length === 0) return `${sum}${note}`;
  if (unknown === cards.length) return `Cost unknown for ${plural(unknown, "job")}`;
  return `${sum}${note} · cost unknown for ${plural(unknown, "job")}`;
}

function renderOptions(
  values: readonly string[],
  cards: readonly GalleryCard[],
  key: "status" | "provider",
): string {
  const options = values.map((value) => {
    const count = cards.filter((card) => card[key] === value).length;
    return `<option value="${escapeHtml(value)}">${escapeHtml(value)} (${count})</option>`;
  });
  return [`<option value="">All (${cards.length})</option>`, ...options].join("");
}

function renderControls(cards: readonly GalleryCard[], byLine: boolean): string {
  const present = new Set(cards.map((card) => card.status));
  // The usual order of a job's life, then anything the type does not know of.
  const statuses: string[] = [
    ...taskStatuses.filter((s) => present.has(s)),
    ...[...present].filter((s) => !taskStatuses.includes(s)).sort(),
  ];
  // Code-unit order, not localeCompare: the page must not depend on the machine's ICU data.
  const providers = [...new Set(cards.map((card) => card.provider))].sort();
  // Not a <form>: Enter in the search box would submit it, and there is nowhere to submit to.
  return `<div class="controls" role="search" aria-label="Filter and sort jobs">
<div class="control control-search"><label for="filter-search">Search prompt, id or model</label>
<input id="filter-search" type="search" autocomplete="off" spellcheck="false" placeholder="e.g. fox"></div>
<div class="control"><label for="filter-status">Status</label>
<select id="filter-status">${renderOptions(statuses, cards, "status")}</select></div>
<div class="control"><label for="filter-provider">Provider</label>
<select id="filter-provider">${renderOptions(providers, cards, "provider")}</select></div>
<div class="control"><label for="sort">Sort</label>
<select id="sort">${byLine ? `<option value="line">Line order</option>` : ""}<option value="newest">Newest first</option><option value="oldest">Oldest first</option><option value="cost-desc">Cost: high to low</option><option value="cost-asc">Cost: low to high</option></select></div>
</div>`;
}

/**
 * The whole gallery page: one HTML file that loads nothing but the videos it links to. Pure and
 * deterministic; every string from a card is escaped, and the script only filters and sorts the
 * cards written here.
 */
export function renderGallery(page: GalleryPage, options: RenderOptions = {}): string {
  const flavour = options.flavour ?? (sep === "\\" ? win32 : posix);
  const title = escapeHtml(page.title);
  const byLine = page.order === "line";
  const ordered = byLine ? page.cards.map((card, index) => ({ card, index })) : sortNewestFirst(page.cards);
  const cards = ordered.map(({ card, index }) => renderCard(card, index, page.file, flavour));
  const total = page.cards.length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
${GALLERY_GENERATOR}
<meta http-equiv="Content-Security-Policy" content="${buildPolicy(PAGE_STYLE, PAGE_SCRIPT)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="page-head">
<h1>${title}</h1>
<p class="summary" aria-live="polite"><strong id="shown-count">Showing ${total} of ${plural(total, "job")}</strong> · <span id="shown-cost">${describeCost(page.cards)}</span></p>
</header>
${renderControls(page.cards, byLine)}
<main>
<div class="cards" id="cards">
${cards.join("\n")}
</div>
${total > 0 ? `<p class="no-match" id="no-match" hidden>No jobs match these filters.</p>` : `<p class="no-match" id="no-match">No jobs to show.</p>`}
</main>
<footer class="page-foot">
<p>Generated by grokvid on ${`<time datetime="${escapeHtml(page.generatedAt)}">${escapeHtml(formatUtc(page.generatedAt))}</time>`}.</p>
<p>Videos are linked relative to this page: move the page together with them.</p>
</footer>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
