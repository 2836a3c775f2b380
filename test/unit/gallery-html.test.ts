import { createHash } from "node:crypto";
import { posix, win32 } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatBytes, formatUtc, parseIsoMs } from "../../src/core/gallery/card-html.js";
import { escapeHtml } from "../../src/core/gallery/escape-html.js";
import { describeCost, GALLERY_GENERATOR, renderGallery } from "../../src/core/gallery/render-html.js";
import type { GalleryCard, GalleryPage } from "../../src/core/gallery/types.js";
import { makeVideoHref } from "../../src/core/gallery/video-href.js";

const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "</script><script>alert(1)</script>",
  `"onmouseover="alert(1)`,
  "'onfocus='alert(1)",
  "</style><style>body{display:none}</style>",
  "&lt;b&gt; already escaped",
];

function card(overrides: Partial<GalleryCard> = {}): GalleryCard {
  return {
    id: "job-1",
    provider: "xai",
    model: "grok-imagine-video",
    prompt: "A red fox running through fresh snow",
    operation: "create",
    requested: { durationSec: 6, ratio: "16:9", resolution: 720 },
    warnings: [],
    status: "succeeded",
    error: null,
    costUsd: 0.05,
    createdAt: "2026-12-06T07:09:00.000Z",
    finishedAt: "2026-12-06T07:10:31.000Z",
    video: { path: "/home/me/videos/fox.mp4", bytes: 24_100 },
    ...overrides,
  };
}

function page(cards: GalleryCard[], overrides: Partial<GalleryPage> = {}): GalleryPage {
  return {
    title: "grokvid gallery",
    generatedAt: "2026-12-06T08:00:00.000Z",
    file: "/home/me/videos/gallery.html",
    cards,
    ...overrides,
  };
}

const render = (cards: GalleryCard[], overrides: Partial<GalleryPage> = {}): string =>
  renderGallery(page(cards, overrides), { flavour: posix });

/** The exact text between an element's opening and closing tag, as a browser hashes it. */
function inlineText(html: string, tag: "script" | "style"): string {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!match?.[1]) throw new Error(`no inline <${tag}>`);
  return match[1];
}

function policyOf(html: string): Map<string, string> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  if (content === undefined) throw new Error("no Content-Security-Policy meta");
  return new Map(
    content.split(";").map((directive) => {
      const [name = "", ...values] = directive.trim().split(/\s+/);
      return [name, values.join(" ")];
    }),
  );
}

/**
 * Every tag outside the inline script and style, with its quoted values emptied: what is left is
 * the page's own markup (names and attribute names), since no card string keeps a raw < or ".
 */
function tagsIn(html: string): string[] {
  const outside = html.replace(/<(script|style)>[\s\S]*?<\/\1>/g, "");
  return (outside.match(/<[^>]*>/g) ?? []).map((tag) => tag.replace(/"[^"]*"/g, '""'));
}

/** The cards' ids in page order, read from their data-id attributes. */
const idsIn = (html: string): string[] =>
  [...html.matchAll(/<article [^>]*data-id="([^"]*)"/g)].map((m) => m[1] ?? "");

describe("escaping", () => {
  it("turns every markup character into an entity", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("shows hostile strings from every field only escaped", () => {
    for (const hostile of HOSTILE) {
      const html = render(
        [
          card({
            id: `id ${hostile}`,
            provider: `p ${hostile}`,
            model: `m ${hostile}`,
            prompt: `prompt ${hostile}`,
            requested: { ratio: hostile },
            warnings: [`warning ${hostile}`],
            createdAt: hostile,
            finishedAt: hostile,
            video: { path: `/home/me/videos/${hostile}.mp4`, bytes: 1 },
          }),
          card({
            id: "failed",
            status: "failed",
            error: { code: hostile, message: `message ${hostile}` },
            missingReason: `failed: ${hostile}`,
          }),
        ],
        { title: `title ${hostile}` },
      );
      expect(html).not.toContain(hostile);
      // Nothing a card holds became an element or an attribute.
      expect(html.match(/<script/g)).toHaveLength(1);
      expect(html.match(/<\/script>/g)).toHaveLength(1);
      expect(html.match(/<style/g)).toHaveLength(1);
      for (const tag of tagsIn(html)) expect(tag).not.toMatch(/^<img|[\s"]on\w+=/i);
      expect(html).toContain(`prompt ${escapeHtml(hostile)}`);
      expect(html).toContain(`message ${escapeHtml(hostile)}`);
      expect(html).toContain(`<title>title ${escapeHtml(hostile)}</title>`);
    }
  });

  it("lowercases the search text the script looks in, escaped like any attribute", () => {
    const html = render([card({ id: "ID-9", model: "Grok", prompt: `A "Fox" <b>` })]);
    expect(html).toContain(`data-search="a &quot;fox&quot; &lt;b&gt;\nid-9\ngrok"`);
  });
});

describe("the Content-Security-Policy", () => {
  const html = render([card()]);
  const policy = policyOf(html);

  it("allows the inline script and style by the hash of their exact text, and nothing inline else", () => {
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(policy.get("script-src")).toBe(hash(inlineText(html, "script")));
    expect(policy.get("style-src")).toBe(hash(inlineText(html, "style")));
    expect(html).not.toContain("unsafe-inline");
    // A style attribute or an inline handler would be refused by this policy: the page has none.
    for (const tag of tagsIn(html)) expect(tag).not.toMatch(/[\s"](style|on[a-z]+)=/i);
  });

  it("refuses everything remote and allows local videos", () => {
    expect(policy.get("default-src")).toBe("'none'");
    expect(policy.get("media-src")).toBe("'self' file:");
    expect(policy.get("img-src")).toBe("data:");
    expect(policy.get("base-uri")).toBe("'none'");
    expect(policy.get("form-action")).toBe("'none'");
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("comes before the style and the script it governs", () => {
    expect(html.indexOf("Content-Security-Policy")).toBeLessThan(html.indexOf("<style>"));
  });

  it("is preceded by the generator mark, early enough for write-gallery to find it", () => {
    expect(html.indexOf(GALLERY_GENERATOR)).toBeGreaterThan(0);
    expect(html.indexOf(GALLERY_GENERATOR) + GALLERY_GENERATOR.length).toBeLessThan(2048);
  });
});

describe("video links", () => {
  const file = "/home/me/out/gallery.html";

  it("are relative to the page's folder, one percent-encoded segment per folder", () => {
    expect(makeVideoHref(file, "/home/me/out/fox.mp4", posix)).toBe("fox.mp4");
    expect(makeVideoHref(file, "/home/me/out/my clips #2/a b.mp4", posix)).toBe(
      "my%20clips%20%232/a%20b.mp4",
    );
    expect(makeVideoHref(file, "/home/me/out/100% done?.mp4", posix)).toBe("100%25%20done%3F.mp4");
    expect(makeVideoHref(file, "/home/me/out/café 雪.mp4", posix)).toBe("caf%C3%A9%20%E9%9B%AA.mp4");
    expect(makeVideoHref(file, "/home/me/other/fox.mp4", posix)).toBe("../other/fox.mp4");
    expect(makeVideoHref(file, "/home/me/fox.mp4", posix)).toBe("../fox.mp4");
  });

  it("keep a name that looks like a scheme or holds a backslash as one segment", () => {
    expect(makeVideoHref(file, "/home/me/out/javascript:alert(1).mp4", posix)).toBe(
      "javascript%3Aalert(1).mp4",
    );
    expect(makeVideoHref(file, "/home/me/out/a\\b.mp4", posix)).toBe("a%5Cb.mp4");
  });

  it("survive a lone surrogate in a name", () => {
    expect(makeVideoHref(file, "/home/me/out/x\uD800.mp4", posix)).toBe("x%EF%BF%BD.mp4");
  });

  it("on Windows, are relative on the same drive and file:// URLs across drives", () => {
    const page = "C:\\Users\\me\\gallery.html";
    expect(makeVideoHref(page, "C:\\Users\\me\\clips #1\\fox.mp4", win32)).toBe("clips%20%231/fox.mp4");
    expect(makeVideoHref(page, "D:\\videos\\a b.mp4", win32)).toBe("file:///D:/videos/a%20b.mp4");
    expect(makeVideoHref(page, "\\\\nas\\share\\fox.mp4", win32)).toBe("file://nas/share/fox.mp4");
  });

  it("are what the rendered video and file link point at", () => {
    const html = render([card({ video: { path: "/home/me/videos/sub dir/#1 fox.mp4", bytes: 3_200_000 } })]);
    expect(html).toContain(`<video controls preload="metadata" src="sub%20dir/%231%20fox.mp4"`);
    expect(html).toContain(`<a href="sub%20dir/%231%20fox.mp4">#1 fox.mp4</a> · 3.2 MB`);
  });
});

describe("cards", () => {
  it("show a placeholder with the reason when there is no video", () => {
    const html = render(
      [
        card({
          status: "failed",
          error: { code: "moderated", message: "blocked" },
          missingReason: "failed: blocked",
        }),
      ].map(({ video: _video, ...rest }) => rest),
    );
    expect(html).not.toContain("<video");
    expect(html).toContain(
      `<div class="media media-missing"><strong>No video</strong><span>failed: blocked</span></div>`,
    );
    expect(html).toContain(`<strong>Error:</strong> <code>moderated</code> blocked`);
    expect(html).toContain(`badge-failed"><span aria-hidden="true">✕</span>failed</span>`);
  });

  it("show what was asked, what was delivered, and each warning", () => {
    const html = render([
      card({
        delivered: { width: 1280, height: 720, durationSec: 6.04 },
        warnings: ["480p where 720p was asked", "10.0 s where 6 s was asked"],
      }),
    ]);
    expect(html).toContain("<dt>Requested</dt><dd>720p · 16:9 · 6 s</dd>");
    expect(html).toContain("<dt>Delivered</dt><dd>1280×720 · 6.0 s</dd>");
    expect(html).toContain(
      `<ul class="warnings" aria-label="Warnings"><li><span aria-hidden="true">⚠ </span>480p where 720p was asked</li>` +
        `<li><span aria-hidden="true">⚠ </span>10.0 s where 6 s was asked</li></ul>`,
    );
  });

  it("show times in UTC with the exact value kept, the size, the cost, and the operation when not a create", () => {
    const html = render([card({ operation: "extend" })]);
    expect(html).toContain(`<time datetime="2026-12-06T07:09:00.000Z">2026-12-06 07:09 UTC</time>`);
    expect(html).toContain(`<time datetime="2026-12-06T07:10:31.000Z">2026-12-06 07:10 UTC</time>`);
    expect(html).toContain("· 24.1 KB");
    expect(html).toContain(`<span class="cost">$0.05</span>`);
    expect(html).toContain("<dt>Operation</dt><dd>extend</dd>");
    expect(render([card()])).not.toContain("<dt>Operation</dt>");
  });

  it("carry the data the script filters and sorts on", () => {
    const html = render([
      card({ costUsd: 0.2 }),
      card({ id: "job-2", costUsd: Number.NaN, createdAt: "soon" }),
    ]);
    expect(html).toMatch(
      /data-index="0" data-id="job-1" data-status="succeeded" data-provider="xai" data-cost="0.2" data-created="1796540940000"/,
    );
    // An unreadable cost or time is left out, and the script sorts such cards last.
    expect(html).toMatch(
      /data-index="1" data-id="job-2" data-status="succeeded" data-provider="xai" data-search=/,
    );
  });
});

describe("the page", () => {
  it("starts newest first, as the script's default sort leaves it; unknown times last, ties in input order", () => {
    const html = render([
      card({ id: "old", createdAt: "2026-12-06T06:00:00Z" }),
      card({ id: "unknown", createdAt: "yesterday" }),
      card({ id: "new", createdAt: "2026-12-06T09:00:00Z" }),
      card({ id: "tie-a", createdAt: "2026-12-06T07:00:00Z" }),
      card({ id: "tie-b", createdAt: "2026-12-06T07:00:00Z" }),
    ]);
    expect(idsIn(html)).toEqual(["new", "tie-a", "tie-b", "old", "unknown"]);
    expect(html).toContain(`<dt>Created</dt><dd><time datetime="yesterday">yesterday</time></dd>`);
  });

  it("counts the jobs and adds up the known costs", () => {
    const html = render([card({ costUsd: 0.05 }), card({ costUsd: 0.2 }), card({ costUsd: 0.1 })]);
    expect(html).toContain(
      `<strong id="shown-count">Showing 3 of 3 jobs</strong> · <span id="shown-cost">Total cost $0.35</span>`,
    );
    const unknown = { ...card() };
    delete unknown.costUsd;
    expect(describeCost([card({ costUsd: 0.05 }), unknown, unknown])).toBe(
      "Total cost $0.05 · cost unknown for 2 jobs",
    );
    expect(describeCost([unknown])).toBe("Cost unknown for 1 job");
    expect(describeCost([])).toBe("Total cost $0.00");
    // Added in whole micro-dollars: ten 0.1s make exactly one dollar, and a fraction of a cent shows.
    expect(describeCost(Array.from({ length: 10 }, () => card({ costUsd: 0.1 })))).toBe("Total cost $1.00");
    expect(describeCost([card({ costUsd: 0.0042 })])).toBe("Total cost $0.0042");
  });

  it("offers a filter for each status and provider present, with labels for every control", () => {
    const html = render([
      card({ provider: "xai" }),
      card({ provider: "apimart", status: "failed" }),
      card({ provider: "apimart" }),
    ]);
    expect(html).toContain(
      `<select id="filter-status"><option value="">All (3)</option><option value="succeeded">succeeded (2)</option><option value="failed">failed (1)</option></select>`,
    );
    expect(html).toContain(
      `<select id="filter-provider"><option value="">All (3)</option><option value="apimart">apimart (2)</option><option value="xai">xai (1)</option></select>`,
    );
    for (const id of ["filter-search", "filter-status", "filter-provider", "sort"]) {
      expect(html).toContain(`<label for="${id}">`);
    }
  });

  it("says there is nothing to show when there are no jobs", () => {
    const html = render([]);
    expect(html).toContain(`<p class="no-match" id="no-match">No jobs to show.</p>`);
    expect(html).toContain("Showing 0 of 0 jobs");
  });

  describe("determinism", () => {
    const zone = process.env.TZ;
    afterEach(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });

    it("renders the same bytes for the same input, in any time zone", () => {
      const cards = [card(), card({ id: "b", createdAt: "2026-12-06T07:09:00", costUsd: 0.1 })];
      process.env.TZ = "UTC";
      const first = render(cards);
      process.env.TZ = "Asia/Kolkata";
      expect(render(cards)).toBe(first);
      expect(first).toContain(`<time datetime="2026-12-06T07:09:00">2026-12-06 07:09 UTC</time>`);
    });
  });
});

describe("formatting", () => {
  it("sizes in decimal units", () => {
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(24_100)).toBe("24.1 KB");
    expect(formatBytes(999_960)).toBe("1.0 MB");
    expect(formatBytes(3_200_000)).toBe("3.2 MB");
    expect(formatBytes(Number.NaN)).toBe("size unknown");
  });

  it("times in UTC, an offset-less time taken as UTC, anything else as given", () => {
    expect(formatUtc("2026-12-06T09:09:59+02:00")).toBe("2026-12-06 07:09 UTC");
    expect(formatUtc("2026-12-06T07:09")).toBe("2026-12-06 07:09 UTC");
    expect(formatUtc("Dec 6 2026")).toBe("Dec 6 2026");
    expect(parseIsoMs("2026-12-06")).toBe(Date.UTC(2026, 11, 6));
  });
});
