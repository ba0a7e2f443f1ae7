import type { Language, TreeCursor } from 'web-tree-sitter';

/** Node kinds of one grammar, looked up in JS so a node costs one call into WebAssembly. */
export interface SyntaxTables {
  readonly names: readonly string[];
  readonly named: readonly boolean[];
  readonly fieldBody: number;
  readonly fieldName: number;
  readonly fieldValue: number;
}

/** Build the tables for a grammar once. Ids outside the table are ERROR nodes (named). */
export function syntaxTables(language: Language): SyntaxTables {
  const names: string[] = [];
  const named: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    names.push(language.nodeTypeForId(id) ?? 'ERROR');
    named.push(language.nodeTypeIsNamed(id));
  }
  const field = (name: string): number => language.fieldIdForName(name) ?? -1;
  return {
    names,
    named,
    fieldBody: field('body'),
    fieldName: field('name'),
    fieldValue: field('value'),
  };
}

/**
 * A tree-sitter cursor over one parsed script. Text is sliced from the source by offset
 * (web-tree-sitter indexes are UTF-16 code units when it parsed a JS string), so no node object is
 * ever materialised: every access is one call into WebAssembly and no allocation.
 */
export class SyntaxReader {
  private id = 0;
  // Offsets of the current node, read on first use (each read is a call into WebAssembly).
  private startAt = -1;
  private endAt = -1;

  constructor(
    private readonly cursor: TreeCursor,
    readonly source: string,
    readonly tables: SyntaxTables,
  ) {
    this.sync();
  }

  /** Re-read the current node's kind; call after every move. */
  private sync(): void {
    this.id = this.cursor.nodeTypeId;
    this.startAt = -1;
    this.endAt = -1;
  }

  /** The current node's type, as `node.type` would say. */
  get type(): string {
    return this.tables.names[this.id] ?? 'ERROR';
  }

  get isNamed(): boolean {
    return this.tables.named[this.id] ?? true;
  }

  get start(): number {
    if (this.startAt < 0) this.startAt = this.cursor.startIndex;
    return this.startAt;
  }

  get end(): number {
    if (this.endAt < 0) this.endAt = this.cursor.endIndex;
    return this.endAt;
  }

  /** The current node's source text. */
  get text(): string {
    return this.source.slice(this.start, this.end);
  }

  get nodeId(): number {
    return this.cursor.nodeId;
  }

  get fieldId(): number {
    return this.cursor.currentFieldId;
  }

  firstChild(): boolean {
    if (!this.cursor.gotoFirstChild()) return false;
    this.sync();
    return true;
  }

  nextSibling(): boolean {
    if (!this.cursor.gotoNextSibling()) return false;
    this.sync();
    return true;
  }

  parent(): boolean {
    if (!this.cursor.gotoParent()) return false;
    this.sync();
    return true;
  }

  /** Move to the first named child; stays put (and returns false) when there is none. */
  firstNamedChild(): boolean {
    if (!this.firstChild()) return false;
    do {
      if (this.isNamed) return true;
    } while (this.nextSibling());
    this.parent();
    return false;
  }

  /** Move to the next named sibling; stays on the last sibling when there is none. */
  nextNamedSibling(): boolean {
    while (this.nextSibling()) if (this.isNamed) return true;
    return false;
  }
}
