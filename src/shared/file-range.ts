/**
 * Stored bytes that lie in a local file (a layer blob in an OCI layout, or a member of a
 * docker-save or OCI archive): a reader on another thread can read them itself instead of being
 * sent them, and then checks their size and digest itself.
 */
export interface VerifiedFileRange extends ExpectedBytes {
  path: string;
  /** Where the bytes start in the file. */
  offset: number;
}

/** What stored bytes must be, for a reader that checks them itself. */
export interface ExpectedBytes {
  /** How many there must be. */
  size: number;
  /** The digest they must have (`sha256:<hex>`). */
  digest: string;
  /** Names the bytes in errors (the same label the source's own verified stream uses). */
  label: string;
}
