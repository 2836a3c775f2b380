import { describe, expect, it } from "vitest";
import { batchFields, parseBatchFile } from "../../src/core/batch/batch-file.js";

const lines = (...rows: string[]) => rows.join("\n");

describe("parseBatchFile format detection", () => {
  it("treats a first line starting with { as JSON lines, even after blank and comment lines", () => {
    expect(parseBatchFile('\n  \n# jobs\n  {"prompt":"a"}').format).toBe("jsonl");
  });

  it("treats anything else as CSV", () => {
    expect(parseBatchFile("prompt\na").format).toBe("csv");
  });

  it("returns nothing for empty input", () => {
    expect(parseBatchFile("")).toStrictEqual({ format: "csv", lines: [], errors: [] });
  });

  it("exports the field names", () => {
    expect(batchFields).toStrictEqual([
      "prompt",
      "provider",
      "model",
      "duration",
      "ratio",
      "resolution",
      "image",
      "reference_images",
      "output",
    ]);
  });
});

describe("parseBatchFile JSON lines", () => {
  it("reads every field", () => {
    const text = JSON.stringify({
      prompt: "a fox",
      provider: "apimart",
      model: "grok-1.5",
      duration: "10",
      ratio: "16:9",
      resolution: "1080p",
      image: ["https://e.com/a.jpg", "b.png"],
      output: "fox.mp4",
    });
    expect(parseBatchFile(text)).toStrictEqual({
      format: "jsonl",
      lines: [
        {
          line: 1,
          prompt: "a fox",
          provider: "apimart",
          model: "grok-1.5",
          duration: "10",
          ratio: "16:9",
          resolution: "1080p",
          images: ["https://e.com/a.jpg", "b.png"],
          output: "fox.mp4",
        },
      ],
      errors: [],
    });
  });

  it("omits absent properties and defaults images to []", () => {
    expect(parseBatchFile('{"prompt":"a"}').lines).toStrictEqual([{ line: 1, prompt: "a", images: [] }]);
  });

  it("turns numeric duration and resolution into decimal strings", () => {
    expect(parseBatchFile('{"prompt":"a","duration":6,"resolution":720}').lines).toStrictEqual([
      { line: 1, prompt: "a", duration: "6", resolution: "720", images: [] },
    ]);
  });

  it("accepts image as a string or an array, and the images alias as either", () => {
    const text = lines(
      '{"prompt":"a","image":"x.png"}',
      '{"prompt":"b","image":["x.png","y.png"]}',
      '{"prompt":"c","images":"z.png"}',
      '{"prompt":"d","images":["z.png"]}',
    );
    expect(parseBatchFile(text)).toStrictEqual({
      format: "jsonl",
      lines: [
        { line: 1, prompt: "a", images: ["x.png"] },
        { line: 2, prompt: "b", images: ["x.png", "y.png"] },
        { line: 3, prompt: "c", images: ["z.png"] },
        { line: 4, prompt: "d", images: ["z.png"] },
      ],
      errors: [],
    });
  });

  it("refuses image and images on one line", () => {
    expect(parseBatchFile('{"prompt":"a","image":"x","images":["y"]}').errors).toStrictEqual([
      { line: 1, message: 'give either "image" or "images", not both' },
    ]);
  });

  it("names unknown keys, with the field a misspelt one was meant to be", () => {
    const text = lines(
      '{"promt":"a"}',
      '{"prompt":"a","foo":1,"bar":2}',
      '{"prompt":"a","durration":6,"ratoi":"1:1"}',
    );
    expect(parseBatchFile(text).errors).toStrictEqual([
      { line: 1, message: 'prompt is required; unknown field "promt" (did you mean prompt?)' },
      { line: 2, message: 'unknown fields "foo", "bar"' },
      {
        line: 3,
        message: 'unknown fields "durration" (did you mean duration?), "ratoi" (did you mean ratio?)',
      },
    ]);
  });

  it("requires a non-empty string prompt", () => {
    const text = lines("{}", '{"prompt":""}', '{"prompt":"   "}', '{"prompt":5}');
    expect(parseBatchFile(text).errors).toStrictEqual([
      { line: 1, message: "prompt is required" },
      { line: 2, message: "prompt must not be empty" },
      { line: 3, message: "prompt must not be empty" },
      { line: 4, message: "prompt must be a string" },
    ]);
  });

  it("checks the type of every other field", () => {
    const text = lines(
      '{"prompt":"a","model":7}',
      '{"prompt":"a","duration":true}',
      '{"prompt":"a","image":[1]}',
      '{"prompt":"a","output":""}',
      '{"prompt":"a","images":["x",""]}',
    );
    expect(parseBatchFile(text)).toStrictEqual({
      format: "jsonl",
      lines: [],
      errors: [
        { line: 1, message: "model must be a string" },
        { line: 2, message: "duration must be a string or a number" },
        { line: 3, message: "image must be a string or an array of strings" },
        { line: 4, message: "output must not be empty" },
        { line: 5, message: "images must not contain empty values" },
      ],
    });
  });

  it("reports invalid JSON without quoting the line", () => {
    const long = "x".repeat(500);
    const [error] = parseBatchFile(`{"prompt":"${long}"`).errors;
    expect(error).toStrictEqual({ line: 1, message: "not valid JSON" });
  });

  it("refuses values that are not objects", () => {
    const text = lines('{"prompt":"a"}', "[1]", '"x"', "null", "42");
    expect(parseBatchFile(text).errors).toStrictEqual([
      { line: 2, message: "not a JSON object (found an array)" },
      { line: 3, message: "not a JSON object (found a string)" },
      { line: 4, message: "not a JSON object (found null)" },
      { line: 5, message: "not a JSON object (found a number)" },
    ]);
  });

  it("skips comments and blank lines but keeps physical line numbers", () => {
    const text = lines("# batch", '{"prompt":"a"}', "", "   ", "  # later", '  {"prompt":"b"}  ', "");
    expect(parseBatchFile(text).lines).toStrictEqual([
      { line: 2, prompt: "a", images: [] },
      { line: 6, prompt: "b", images: [] },
    ]);
  });

  it("handles CRLF line ends", () => {
    expect(parseBatchFile('{"prompt":"a"}\r\n\r\n{"prompt":"b"}\r\n').lines).toStrictEqual([
      { line: 1, prompt: "a", images: [] },
      { line: 3, prompt: "b", images: [] },
    ]);
  });

  it("collects every error and keeps the good lines in order", () => {
    const text = lines(
      '{"prompt":"a"}',
      "{oops",
      '{"prompt":"b","duration":6}',
      '{"model":"m"}',
      '{"prompt":"c"}',
    );
    expect(parseBatchFile(text)).toStrictEqual({
      format: "jsonl",
      lines: [
        { line: 1, prompt: "a", images: [] },
        { line: 3, prompt: "b", duration: "6", images: [] },
        { line: 5, prompt: "c", images: [] },
      ],
      errors: [
        { line: 2, message: "not valid JSON" },
        { line: 4, message: "prompt is required" },
      ],
    });
  });
});

describe("parseBatchFile CSV", () => {
  it("reads every column", () => {
    const text = lines(
      "prompt,provider,model,duration,ratio,resolution,image,output",
      "a fox,apimart,grok-1.5,6,16:9,720p,a.jpg,fox.mp4",
    );
    expect(parseBatchFile(text)).toStrictEqual({
      format: "csv",
      lines: [
        {
          line: 2,
          prompt: "a fox",
          provider: "apimart",
          model: "grok-1.5",
          duration: "6",
          ratio: "16:9",
          resolution: "720p",
          images: ["a.jpg"],
          output: "fox.mp4",
        },
      ],
      errors: [],
    });
  });

  it("accepts columns in any order and case, trimmed, with images as an alias", () => {
    const text = lines(" Model ,IMAGES, Prompt", "m,x.png,a");
    expect(parseBatchFile(text).lines).toStrictEqual([
      { line: 2, prompt: "a", model: "m", images: ["x.png"] },
    ]);
  });

  it("omits empty cells and fills missing trailing cells with empty", () => {
    const text = lines("prompt,model,duration,image", "a,,  ,", "b");
    expect(parseBatchFile(text)).toStrictEqual({
      format: "csv",
      lines: [
        { line: 2, prompt: "a", images: [] },
        { line: 3, prompt: "b", images: [] },
      ],
      errors: [],
    });
  });

  it("splits the image cell on |", () => {
    const text = lines("prompt,image", "a,x.png | https://e.com/y.jpg|");
    expect(parseBatchFile(text).lines).toStrictEqual([
      { line: 2, prompt: "a", images: ["x.png", "https://e.com/y.jpg"] },
    ]);
  });

  it("keeps commas and escaped quotes inside quoted cells", () => {
    const text = lines("prompt,model", '"a fox, running ""fast""",m');
    expect(parseBatchFile(text).lines).toStrictEqual([
      { line: 2, prompt: 'a fox, running "fast"', model: "m", images: [] },
    ]);
  });

  it("lets a quoted newline span lines and numbers the next record by its physical line", () => {
    const text = lines("prompt,model", '"first line', "second line", 'third",m', "next,n");
    expect(parseBatchFile(text).lines).toStrictEqual([
      { line: 2, prompt: "first line\nsecond line\nthird", model: "m", images: [] },
      { line: 5, prompt: "next", model: "n", images: [] },
    ]);
  });

  it("ignores a UTF-8 BOM and accepts CRLF, also inside quoted cells", () => {
    const text = '\uFEFFprompt,model\r\n"a\r\nb",m\r\nc,n\r\n\r\n';
    expect(parseBatchFile(text)).toStrictEqual({
      format: "csv",
      lines: [
        { line: 2, prompt: "a\nb", model: "m", images: [] },
        { line: 4, prompt: "c", model: "n", images: [] },
      ],
      errors: [],
    });
  });

  it("ignores blank lines, trailing or not", () => {
    const text = lines("prompt", "a", "", "b", "", "", "");
    expect(parseBatchFile(text).lines).toStrictEqual([
      { line: 2, prompt: "a", images: [] },
      { line: 4, prompt: "b", images: [] },
    ]);
  });

  it("refuses a record with more cells than the header", () => {
    expect(parseBatchFile(lines("prompt,model", "a,m,extra", "b,n"))).toStrictEqual({
      format: "csv",
      lines: [{ line: 3, prompt: "b", model: "n", images: [] }],
      errors: [{ line: 2, message: "3 cells but the header has 2 columns" }],
    });
  });

  it("refuses a record without a prompt", () => {
    expect(parseBatchFile(lines("prompt,model", ",m")).errors).toStrictEqual([
      { line: 2, message: "prompt is required" },
    ]);
  });

  it("names unknown columns in one error on line 1 (with the one a misspelt column was meant to be) and returns no lines", () => {
    expect(parseBatchFile(lines("prompt,promt,Foo", "a,b,c"))).toStrictEqual({
      format: "csv",
      lines: [],
      errors: [{ line: 1, message: 'unknown columns "promt" (did you mean prompt?), "foo"' }],
    });
  });

  it("requires a prompt column", () => {
    expect(parseBatchFile(lines("model,image", "m,x"))).toStrictEqual({
      format: "csv",
      lines: [],
      errors: [{ line: 1, message: 'missing the "prompt" column' }],
    });
  });

  it("refuses duplicate columns, counting images as image", () => {
    expect(parseBatchFile(lines("prompt,image,images", "a,x,y")).errors).toStrictEqual([
      { line: 1, message: 'duplicate column "images"' },
    ]);
  });

  it("reports an unterminated quote at the record's first line", () => {
    expect(parseBatchFile(lines("prompt", "ok", '"never closed', "more,text"))).toStrictEqual({
      format: "csv",
      lines: [{ line: 2, prompt: "ok", images: [] }],
      errors: [{ line: 3, message: "unterminated quoted field" }],
    });
  });

  it("reports text after a closing quote and resumes on the next line", () => {
    expect(parseBatchFile(lines("prompt,model", '"a"b,m', "c,n"))).toStrictEqual({
      format: "csv",
      lines: [{ line: 3, prompt: "c", model: "n", images: [] }],
      errors: [{ line: 2, message: "unexpected text after a closing quote" }],
    });
  });

  it("collects several errors at once and keeps the good lines in order", () => {
    const text = lines("prompt,model", "a,m", ",m", "b,n,x", '"c', 'd",o', "e,p");
    expect(parseBatchFile(text)).toStrictEqual({
      format: "csv",
      lines: [
        { line: 2, prompt: "a", model: "m", images: [] },
        { line: 5, prompt: "c\nd", model: "o", images: [] },
        { line: 7, prompt: "e", model: "p", images: [] },
      ],
      errors: [
        { line: 3, message: "prompt is required" },
        { line: 4, message: "3 cells but the header has 2 columns" },
      ],
    });
  });
});
