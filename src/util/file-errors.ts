/** Why a file could not be read, in the words a person acts on: "no such file", "it is a folder". */
export function whyUnreadable(err: unknown): string {
  const code = err && typeof err === "object" && "code" in err ? String(err.code) : "";
  switch (code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "it is a folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "ELOOP":
      return "too many symbolic links";
    default:
      return code === "" ? "unknown error" : code;
  }
}
