/**
 * A file that cannot be read (scanned PDF without a text layer, corrupt .docx, empty, binary, unknown
 * encoding). The message is the reason shown to the user next to the file name; the corpus reader
 * reports it and indexes the other files.
 */
export class ReadError extends Error {
  override name = 'ReadError';
}
