/** Enough of a file's start to tell a video from an error page. */
export const SNIFF_BYTES = 8;

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

/**
 * True when `head` starts like an MP4/MOV (an ISO-BMFF `ftyp` box: type at bytes 4-8) or a
 * WebM/Matroska file (the EBML magic). The Content-Type header cannot be trusted for this: CDNs
 * serve login pages and JSON errors as application/octet-stream or with no type at all.
 */
export function isVideoHead(head: Buffer): boolean {
  if (head.length < SNIFF_BYTES) return false;
  if (head.subarray(0, 4).equals(EBML_MAGIC)) return true;
  return head.toString("latin1", 4, 8) === "ftyp";
}
