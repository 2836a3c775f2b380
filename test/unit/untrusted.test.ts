import { describe, expect, it } from "vitest";
import { providers } from "../../src/providers/registry.js";
import { redactWith, secretForms } from "../../src/util/redact.js";
import { ESCAPE_PAYLOAD } from "../../src/sandbox/hostile.js";
import {
  mapJsonStrings,
  nestsDeeperThan,
  sanitizeText,
  sanitizeToken,
  stripTerminalControls,
} from "../../src/util/untrusted.js";

// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe("sanitizeText", () => {
  it("drops whole escape sequences, C1 and bidi controls, and keeps the words", () => {
    const clean = sanitizeText(ESCAPE_PAYLOAD);
    expect(clean).not.toMatch(ACTIVE);
    // No parameter bytes of a sequence are left behind as visible junk.
    expect(clean).not.toContain("[2J");
    expect(clean).not.toContain("0;pwned");
    expect(clean).not.toContain("31m");
    expect(clean).toContain("genfailed");
    expect(clean).toContain("link");
    expect(clean).toContain("error: spoofed second line");
  });

  it("turns line breaks and tabs into spaces: a message stays one line", () => {
    expect(sanitizeText("a\r\nb\tc\u2028d\u0085e")).toBe("a  b c d e");
  });

  it("cuts a megabyte of message to the limit, never inside a surrogate pair", () => {
    expect(sanitizeText("x".repeat(1_000_000), 10)).toBe(`${"x".repeat(10)}…`);
    expect(sanitizeText(`${"x".repeat(9)}😀tail`, 10)).toBe(`${"x".repeat(9)}…`);
  });

  it("leaves ordinary text, including non-Latin scripts, alone", () => {
    const text = "生成失败: content policy — ok (100%)";
    expect(sanitizeText(text)).toBe(text);
  });
});

describe("sanitizeToken and stripTerminalControls", () => {
  it("an id loses every control and its surrounding space", () => {
    expect(sanitizeToken(" task_1\u001b[31m\n\u202e ")).toBe("task_1");
  });

  it("our own layout (tabs, newlines) survives the last guard; escapes do not", () => {
    expect(stripTerminalControls("id\tfailed\n\u001b]0;t\u0007x\u009b2J")).toBe("id\tfailed\nx");
  });
});

describe("JSON limits", () => {
  it("nestsDeeperThan counts only structure, not brackets inside strings", () => {
    expect(nestsDeeperThan(`${"[".repeat(65)}${"]".repeat(65)}`, 64)).toBe(true);
    expect(nestsDeeperThan(`${"[".repeat(64)}${"]".repeat(64)}`, 64)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ a: '[[[[[[[[[[\\"{{{{{{{' }), 2)).toBe(false);
  });

  it("mapJsonStrings bounds depth, entries and string length, and keeps __proto__ a plain key", () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":[1,2,3],"deep":[[["s"]]],"s":"abcdef"}') as unknown;
    const out = mapJsonStrings(value, (s) => s.toUpperCase(), { depth: 3, entries: 2, chars: 3 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out).toEqual({ __PROTO__: { X: 1 }, A: [1, 2] });
    const deep = mapJsonStrings({ d: [[["s"]]], s: "abcdef" }, (s) => s, { depth: 3, entries: 9, chars: 3 });
    expect(deep).toEqual({ d: [["[nested too deep]"]], s: "abc…" });
  });
});

describe("redaction of a key in every form it is echoed in", () => {
  const key = "sk-live-0123456789abcdef";
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const b64url = (s: string) => Buffer.from(s).toString("base64url");

  it.each([
    ["the key", key],
    ["base64 of the key", b64(key)],
    ["base64url of the key", b64url(key)],
    ["base64 of Bearer <key>", b64(`Bearer ${key}`)],
    ["base64 of basic auth :<key>", b64(`:${key}`)],
    ["base64url of user:<key>", b64url(`user:${key}`)],
    ["the key URL-encoded in a query", `?k=${encodeURIComponent(key)}`],
  ])("%s", (_name, echoed) => {
    const out = redactWith(`before ${echoed} after`, [key]);
    expect(out).toContain("***");
    expect(out).not.toContain(key);
    for (const form of secretForms(key)) expect(out).not.toContain(form);
  });

  it("a key too short to be one masks nothing", () => {
    expect(redactWith("abc def", ["abc"])).toBe("abc def");
  });
});

describe("the normalized task holds no control characters, whatever the dialect found", () => {
  it("id, model, error code and message, unknown status word and raw are cleaned", () => {
    const hostile = `x${ESCAPE_PAYLOAD}`;
    const { task, warnings } = providers.duoyuanx.parseQuery(
      {
        id: "video_1\u001b[2J",
        status: "failed",
        model: hostile,
        error: { message: hostile, code: hostile },
      },
      "video_1",
      new Date(0),
    );
    expect(task.id).toBe("video_1");
    expect(JSON.stringify(task)).not.toMatch(/\\u001b|\\u0007/);
    expect(`${task.model ?? ""}${task.error?.message ?? ""}${task.error?.code ?? ""}`).not.toMatch(ACTIVE);
    expect(JSON.stringify(task.raw)).not.toMatch(ACTIVE);
    expect(warnings).toEqual([]);
    const odd = providers.duoyuanx.parseQuery({ id: "v", status: "weird\u001b]0;t\u0007" }, "v", new Date(0));
    expect(odd.warnings.join("")).not.toMatch(ACTIVE);
  });
});
