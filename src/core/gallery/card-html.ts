import type { TaskStatus } from "../../util/task-status.js";
import { checkCostUsd } from "../../util/cost.js";
import { formatUsd } from "../../util/format.js";
import { escapeHtml } from "./escape-html.js";
import type { GalleryCard } from "./types.js";
import { makeVideoHref, type PathFlavour } from "./video-href.js";

/** A full ISO 8601 date-time; anything looser (Date.parse's other forms) would read as local time. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** So a status reads without colour too, beside its word. */
const STATUS_MARKS: Record<TaskStatus, string> = {
  queued: "○",
  running: "◔",
  succeeded: "✓",
  failed: "✕",
  cancelled: "⊘",
  expired: "⊘",
};

/**
 * Milliseconds since the epoch, the same on every machine: a date-time without an offset is taken as
 * UTC (the journal always writes one; a hand-edited value must not depend on the reader's zone).
 */
export function parseIsoMs(iso: string): number | undefined {
  const match = ISO_DATE_TIME.exec(iso.trim());
  if (!match) return undefined;
  const zoned = match[1] === undefined && iso.includes("T") ? `${iso.trim()}Z` : iso.trim();
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? ms : undefined;
}

/** "2026-12-06 07:09 UTC"; the value as given when it is not an ISO time. */
export function formatUtc(iso: string): string {
  const ms = parseIsoMs(iso);
  if (ms === undefined) return iso;
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** Decimal units, as file managers show them: "812 B", "24.1 KB", "3.2 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "size unknown";
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  // 999 960 bytes is "1.0 MB", not "1000.0 KB".
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? "TB"}`;
}

/**
 * A cost the page can add up. NaN, a negative or an absurd price (an older journal may hold one) is
 * as good as none: bounded per job, no sum of them can reach Infinity, here or in the page's script.
 */
export function readKnownCost(card: GalleryCard): number | undefined {
  return card.costUsd === undefined ? undefined : checkCostUsd(card.costUsd);
}

function renderTime(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(formatUtc(iso))}</time>`;
}

function describeRequested(requested: GalleryCard["requested"]): string | undefined {
  const parts: string[] = [];
  if (requested.resolution !== undefined) parts.push(`${requested.resolution}p`);
  if (requested.ratio !== undefined) parts.push(requested.ratio);
  if (requested.durationSec !== undefined) parts.push(`${requested.durationSec} s`);
  return parts.length > 0 ? parts.join(" · ") : undefined;
}

function renderMedia(card: GalleryCard, htmlFile: string, flavour: PathFlavour, promptId: string): string {
  if (card.video) {
    const href = escapeHtml(makeVideoHref(htmlFile, card.video.path, flavour));
    return (
      `<div class="media"><video controls preload="metadata" src="${href}" aria-describedby="${promptId}">` +
      `<a href="${href}">Open the video</a></video></div>`
    );
  }
  const reason = card.missingReason ?? "no video file";
  return `<div class="media media-missing"><strong>No video</strong><span>${escapeHtml(reason)}</span></div>`;
}

function renderTop(card: GalleryCard): string {
  const mark = STATUS_MARKS[card.status] ?? "•";
  const status = escapeHtml(card.status);
  const cost = readKnownCost(card);
  const price =
    cost === undefined
      ? `<span class="cost cost-unknown">cost unknown</span>`
      : card.costEstimate
        ? `<span class="cost cost-estimate" title="estimated from the list price">~${escapeHtml(formatUsd(cost))}</span>`
        : `<span class="cost">${escapeHtml(formatUsd(cost))}</span>`;
  return (
    `<div class="card-top"><span class="badge badge-${status}"><span aria-hidden="true">${mark}</span>${status}</span>` +
    `<span class="tag">${escapeHtml(card.provider)}</span>` +
    (card.line === undefined ? "" : `<span class="tag">line ${card.line}</span>`) +
    `${price}</div>`
  );
}

function renderError(card: GalleryCard): string {
  if (!card.error) return "";
  const code = card.error.code === null ? "" : `<code>${escapeHtml(card.error.code)}</code> `;
  return `<p class="error"><strong>Error:</strong> ${code}${escapeHtml(card.error.message)}</p>`;
}

function renderWarnings(warnings: readonly string[]): string {
  if (warnings.length === 0) return "";
  const items = warnings.map((w) => `<li><span aria-hidden="true">⚠ </span>${escapeHtml(w)}</li>`);
  return `<ul class="warnings" aria-label="Warnings">${items.join("")}</ul>`;
}

function renderFacts(card: GalleryCard, htmlFile: string, flavour: PathFlavour): string {
  const facts: [string, string][] = [["Model", escapeHtml(card.model)]];
  if (card.operation !== "create") facts.push(["Operation", escapeHtml(card.operation)]);
  const requested = describeRequested(card.requested);
  if (requested !== undefined) facts.push(["Requested", escapeHtml(requested)]);
  if (card.delivered) {
    const { width, height, durationSec } = card.delivered;
    facts.push(["Delivered", escapeHtml(`${width}×${height} · ${durationSec.toFixed(1)} s`)]);
  }
  facts.push(["Created", renderTime(card.createdAt)]);
  if (card.finishedAt !== undefined) facts.push(["Finished", renderTime(card.finishedAt)]);
  if (card.video) {
    const href = escapeHtml(makeVideoHref(htmlFile, card.video.path, flavour));
    const name = escapeHtml(flavour.basename(card.video.path));
    facts.push(["File", `<a href="${href}">${name}</a> · ${escapeHtml(formatBytes(card.video.bytes))}`]);
  }
  facts.push(["ID", `<code>${escapeHtml(card.id)}</code>`]);
  return `<dl class="facts">${facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("")}</dl>`;
}

/** What the page's search box looks in: prompt, id and model, lowercased as the script lowercases a query. */
function buildSearchText(card: GalleryCard): string {
  return `${card.prompt}\n${card.id}\n${card.model}`.toLowerCase();
}

/**
 * One card. `index` is its place in the page's input order: the script's sorts fall back to it,
 * and it makes the card's element ids unique whatever its job id holds.
 */
export function renderCard(card: GalleryCard, index: number, htmlFile: string, flavour: PathFlavour): string {
  const promptId = `card-${index}-prompt`;
  const cost = readKnownCost(card);
  const created = parseIsoMs(card.createdAt);
  const data = [
    `data-index="${index}"`,
    `data-id="${escapeHtml(card.id)}"`,
    `data-status="${escapeHtml(card.status)}"`,
    `data-provider="${escapeHtml(card.provider)}"`,
    ...(cost === undefined ? [] : [`data-cost="${cost}"`]),
    ...(cost !== undefined && card.costEstimate ? [`data-cost-estimate="true"`] : []),
    ...(created === undefined ? [] : [`data-created="${created}"`]),
    `data-search="${escapeHtml(buildSearchText(card))}"`,
  ];
  const prompt =
    card.prompt.trim() === ""
      ? `<p class="prompt prompt-empty" id="${promptId}">(no prompt)</p>`
      : `<p class="prompt" id="${promptId}">${escapeHtml(card.prompt)}</p>`;
  return [
    `<article class="card" ${data.join(" ")} aria-labelledby="${promptId}">`,
    renderMedia(card, htmlFile, flavour, promptId),
    `<div class="card-body">`,
    renderTop(card),
    prompt,
    renderError(card),
    renderWarnings(card.warnings),
    renderFacts(card, htmlFile, flavour),
    `</div></article>`,
  ]
    .filter((part) => part !== "")
    .join("\n");
}
