import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactWith } from "../../src/util/redact.js";
import { sanitizeText, sanitizeToken, stripTerminalControls } from "../../src/util/untrusted.js";

const RUNS = 1000;
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const ACTIVE_BUT_LAYOUT =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Text a hostile gateway would send: mostly controls and the bytes that start or end sequences. */
const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom("\u001b", "[", "]", "\u0007", "\\", "\u009b", "\u009d", "\u009c", "\u202e", "\u2066"),
      fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("untrusted text, generated", () => {
  it("sanitizeText and sanitizeToken leave nothing a terminal acts on", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(sanitizeText(text)).not.toMatch(ACTIVE);
        expect(sanitizeToken(text)).not.toMatch(ACTIVE);
        expect(stripTerminalControls(text)).not.toMatch(ACTIVE_BUT_LAYOUT);
      }),
      { numRuns: RUNS },
    );
  });

  it("sanitizing is idempotent, so cleaning twice (boundary and last guard) changes nothing more", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(sanitizeText(sanitizeText(text))).toBe(sanitizeText(text));
        expect(stripTerminalControls(sanitizeText(text))).toBe(sanitizeText(text));
      }),
      { numRuns: RUNS },
    );
  });

  it("a key inside any base64 text (any prefix, any suffix) is never readable after redaction", () => {
    const key = fc.string({ minLength: 16, maxLength: 40, unit: "grapheme-ascii" });
    fc.assert(
      fc.property(key, fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (k, before, after) => {
        const plain = `${before}${k}${after}`;
        for (const encoding of ["base64", "base64url"] as const) {
          const echoed = Buffer.from(plain).toString(encoding);
          expect(redactWith(`x ${plain} y`, [k])).not.toContain(k);
          const out = redactWith(echoed, [k]);
          expect(out).toContain("***");
          // Decoding whatever base64 is left on either side cannot give the key back either.
          for (const piece of out.split("***"))
            expect(Buffer.from(piece, encoding).toString("latin1")).not.toContain(k);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
