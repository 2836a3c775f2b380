import { describe, expect, it } from "vitest";
import { chooseOpeners } from "../../src/ui/open-path.js";

/** $BROWSER as the convention has it: a list of commands, each with %s for the page or the page appended. */
const page = "/tmp/my pages/run.html";

describe("chooseOpeners", () => {
  it("takes a plain program name and appends the page", () => {
    expect(chooseOpeners(page, { BROWSER: "firefox" }, "linux")).toEqual([["firefox", [page]]]);
  });

  it("splits a command's arguments, and puts the page where %s is", () => {
    expect(chooseOpeners(page, { BROWSER: "firefox --new-window" }, "linux")).toEqual([
      ["firefox", ["--new-window", page]],
    ]);
    expect(chooseOpeners(page, { BROWSER: "chromium --app=%s --incognito" }, "linux")).toEqual([
      ["chromium", [`--app=${page}`, "--incognito"]],
    ]);
    expect(chooseOpeners(page, { BROWSER: "echo 100%% %s" }, "linux")).toEqual([["echo", ["100%", page]]]);
  });

  it("keeps a quoted program path with spaces as one word", () => {
    expect(chooseOpeners(page, { BROWSER: `"/opt/My Browser/bin" -x` }, "linux")).toEqual([
      ["/opt/My Browser/bin", ["-x", page]],
    ]);
  });

  it("tries each command of a colon-separated list in order (semicolons on Windows)", () => {
    expect(chooseOpeners(page, { BROWSER: "w3m:lynx -force_html::" }, "linux")).toEqual([
      ["w3m", [page]],
      ["lynx", ["-force_html", page]],
    ]);
    expect(chooseOpeners(page, { BROWSER: "C:\\b\\one.exe;two" }, "win32")).toEqual([
      ["C:\\b\\one.exe", [page]],
      ["two", [page]],
    ]);
  });

  it("falls back to the platform's opener when BROWSER is unset or blank", () => {
    expect(chooseOpeners(page, {}, "linux")).toEqual([["xdg-open", [page]]]);
    expect(chooseOpeners(page, { BROWSER: "  " }, "darwin")).toEqual([["open", [page]]]);
    expect(chooseOpeners(page, {}, "win32")).toEqual([["cmd", ["/c", "start", '""', page]]]);
  });
});
