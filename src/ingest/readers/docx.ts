import mammoth from 'mammoth';
import type { DocTree } from '../tree.js';
import { readHtmlContent } from './html.js';
import { ReadError } from './read-error.js';

/** Word's Title style is the document title (mammoth maps only Heading 1-6 by default). */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

/**
 * Reads a .docx: mammoth converts it to HTML (headings, paragraphs, numbered and bulleted lists,
 * tables with their header rows as `th`), which is read with the HTML reader's tree rules.
 * @throws ReadError when the file is not a readable Word document or holds no text.
 */
export async function readDocx(bytes: Buffer, stem: string): Promise<DocTree> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes }, { styleMap: STYLE_MAP })).value;
  } catch (err) {
    throw new ReadError(`无法打开 Word 文档，文件可能已损坏（corrupt .docx: ${(err as Error).message.slice(0, 80)}）`);
  }
  const tree = readHtmlContent(html, stem, 'docx');
  if (!/[\u3400-\u9fff]/.test(tree.text)) throw new ReadError('Word 文档中没有中文文字（no Chinese text in the .docx）');
  return tree;
}
