import { escapeText } from '../lark/escape.js';

/** Someone the bot names: a Feishu `open_id` (`ou_…`) and, when known, the display name. */
export interface NamedPerson {
  open_id: string;
  /** The display name (checklist files, @mentions in chat); absent, empty or equal to the open_id when unknown. */
  name?: string;
}

/** The display name of `p`, or undefined when only the open_id is known. */
function knownName(p: NamedPerson): string | undefined {
  const name = p.name?.trim();
  return name && name !== p.open_id ? name : undefined;
}

/**
 * How a person reads as plain text (command line, dry run, the terminal chat): `@name` when the name is
 * known, else `@<open_id>`. The one view of people: {@link mention} renders to this same text.
 */
export function personLabel(p: NamedPerson): string {
  return `@${knownName(p) ?? p.open_id}`;
}

/**
 * A person in card markdown: `<at id=ou_…>name</at>`. Feishu shows the member's name and notifies them
 * (open_id mention, card rich text "@指定人"); the name inside the tag is what a client that cannot
 * resolve the id shows, and what the terminal chat prints ({@link personLabel}). The name is chat or
 * file text, so it is escaped; the open_id comes from a checklist file (schema-checked) or Feishu's
 * mention list.
 */
export function mention(p: NamedPerson): string {
  const name = knownName(p);
  return `<at id=${p.open_id}>${name ? escapeText(name) : ''}</at>`;
}

/** {@link mention} of everyone in `people`, space-separated. */
export function mentions(people: NamedPerson[]): string {
  return people.map(mention).join(' ');
}
