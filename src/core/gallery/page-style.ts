/**
 * The page's only stylesheet, inlined so the page needs nothing but itself and its videos. The
 * Content-Security-Policy allows exactly this text (by hash), so a `style=""` attribute would be
 * refused: everything is styled through classes here.
 */
export const PAGE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f3f4f6;
  --surface: #ffffff;
  --text: #1b1e23;
  --muted: #555d69;
  --border: #d8dbe0;
  --border-strong: #9aa1ac;
  --accent: #1d4fc4;
  --focus: #1a5fd0;
  --placeholder: #e9ebef;
  --warn-bg: #fff3d1;
  --warn-fg: #5f4300;
  --warn-border: #e5c157;
  --error-bg: #fde4e2;
  --error-fg: #8e1a14;
  --ok-bg: #d9f2e1;
  --ok-fg: #0d5a27;
  --bad-bg: #fde0dd;
  --bad-fg: #9b1c16;
  --busy-bg: #e1eaff;
  --busy-fg: #1c46a8;
  --idle-bg: #e9ebef;
  --idle-fg: #424852;
  --shadow: 0 1px 2px rgb(16 24 40 / 6%), 0 4px 12px rgb(16 24 40 / 5%);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111318;
    --surface: #1b1e25;
    --text: #e7e9ed;
    --muted: #a6adb9;
    --border: #2f343d;
    --border-strong: #5b636f;
    --accent: #93b6ff;
    --focus: #93b6ff;
    --placeholder: #252931;
    --warn-bg: #3a2e0c;
    --warn-fg: #ffd97a;
    --warn-border: #7a5f16;
    --error-bg: #3d1715;
    --error-fg: #ffb4ac;
    --ok-bg: #133a22;
    --ok-fg: #93e2ab;
    --bad-bg: #4a1714;
    --bad-fg: #ffb0a8;
    --busy-bg: #1a2c50;
    --busy-fg: #b0c8ff;
    --idle-bg: #2b3039;
    --idle-fg: #c9ced6;
    --shadow: none;
  }
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
a { color: var(--accent); }
code { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.85em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.page-head, .controls, main, .page-foot { padding-left: clamp(16px, 4vw, 40px); padding-right: clamp(16px, 4vw, 40px); }
.page-head { padding-top: 24px; padding-bottom: 4px; }
.page-head h1 { margin: 0 0 2px; font-size: 1.6rem; line-height: 1.25; overflow-wrap: anywhere; }
.summary { margin: 0; color: var(--muted); }
.summary strong { color: var(--text); }
.controls {
  display: flex;
  flex-wrap: wrap;
  gap: 10px 14px;
  align-items: flex-end;
  padding-top: 12px;
  padding-bottom: 12px;
  background: var(--bg);
  border-bottom: 1px solid var(--border);
}
/* Kept in view while scrolling where there is room; on a phone they would cover a third of the screen. */
@media (min-width: 700px) and (min-height: 500px) {
  .controls { position: sticky; top: 0; z-index: 1; }
}
.control { display: flex; flex-direction: column; gap: 3px; font-size: 0.8rem; font-weight: 600; color: var(--muted); }
.control-search { flex: 1 1 240px; }
.control input, .control select {
  min-height: 38px;
  padding: 6px 10px;
  border: 1px solid var(--border-strong);
  border-radius: 8px;
  background: var(--surface);
  color: var(--text);
  font: inherit;
  font-size: 0.95rem;
  font-weight: 400;
}
.control input { width: 100%; }
main { padding-top: 20px; padding-bottom: 32px; }
.cards {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr));
  gap: 20px;
}
.card {
  display: flex;
  flex-direction: column;
  min-width: 0;
  overflow: hidden;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 12px;
  box-shadow: var(--shadow);
}
/* Every player the same shape, whatever the video's, so a row of cards lines up; contain letterboxes. */
.media { aspect-ratio: 16 / 9; overflow: hidden; background: #000; }
.media video { display: block; width: 100%; height: 100%; object-fit: contain; }
.media-missing {
  display: flex;
  flex-direction: column;
  justify-content: center;
  gap: 4px;
  padding: 16px 20px;
  background: var(--placeholder);
  color: var(--muted);
  text-align: center;
  overflow: auto;
  overflow-wrap: anywhere;
  font-size: 0.9rem;
}
.media-missing strong { color: var(--text); font-size: 1rem; }
.card-body { display: flex; flex-direction: column; gap: 10px; min-width: 0; padding: 14px 16px 16px; }
.card-top { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; }
.badge {
  display: inline-flex;
  align-items: center;
  gap: 5px;
  padding: 1px 10px;
  border-radius: 999px;
  font-size: 0.8rem;
  font-weight: 700;
  background: var(--idle-bg);
  color: var(--idle-fg);
}
.badge-succeeded { background: var(--ok-bg); color: var(--ok-fg); }
.badge-failed { background: var(--bad-bg); color: var(--bad-fg); }
.badge-queued, .badge-running { background: var(--busy-bg); color: var(--busy-fg); }
.tag { padding: 0 8px; border: 1px solid var(--border); border-radius: 999px; font-size: 0.8rem; color: var(--muted); overflow-wrap: anywhere; }
.cost { margin-left: auto; font-weight: 700; font-variant-numeric: tabular-nums; }
.cost-unknown { font-weight: 400; color: var(--muted); }
.prompt { margin: 0; font-size: 1rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.prompt-empty { color: var(--muted); font-style: italic; }
.error {
  margin: 0;
  padding: 8px 10px;
  border-radius: 8px;
  background: var(--error-bg);
  color: var(--error-fg);
  font-size: 0.9rem;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
.warnings {
  margin: 0;
  padding: 8px 10px;
  list-style: none;
  border: 1px solid var(--warn-border);
  border-radius: 8px;
  background: var(--warn-bg);
  color: var(--warn-fg);
  font-size: 0.88rem;
  overflow-wrap: anywhere;
}
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 0; font-size: 0.85rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.no-match { margin: 40px 0; color: var(--muted); font-size: 1.05rem; text-align: center; }
.page-foot { padding-top: 16px; padding-bottom: 32px; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.85rem; }
.page-foot p { margin: 0 0 4px; }
`;
