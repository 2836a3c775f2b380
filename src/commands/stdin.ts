/**
 * All of standard input as text: a prompt (`--prompt-file -`), ids (`status -`) or a batch file
 * (`batch -`). Asked for only when `-` is on the line: opening process.stdin costs a start ~5 ms.
 */
export async function readStdinText(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}
