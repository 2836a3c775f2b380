/** The journal's file name in grokvid's home; apart so a reader need not load the journal's schema. */
export const JOURNAL_FILE = "journal.jsonl";
