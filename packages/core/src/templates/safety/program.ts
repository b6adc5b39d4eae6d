import type { TemplatePiece } from './tags.js';

/** The exec tags of a template joined into one program, the way eta joins them. */
export interface AssembledProgram {
  /**
   * Each exec tag's code followed by a newline (as eta emits it); each text piece and output
   * tag becomes `;` — one complete statement, like the `__eta.res+=…;` eta emits in its place —
   * so block structure parses exactly as eta will compile it.
   */
  code: string;
  /** Output tags, by the offset of their `;` placeholder in `code`. */
  outputs: Map<number, { code: string; start: number }>;
  /** Template offset of a position in `code` (placeholders map to the end of the code before). */
  toSource(pos: number): number;
}

interface ExecSegment {
  codeStart: number;
  sourceStart: number;
  length: number;
}

export function assembleProgram(pieces: readonly TemplatePiece[]): AssembledProgram {
  const segments: ExecSegment[] = [];
  const outputs = new Map<number, { code: string; start: number }>();
  let code = '';
  for (const piece of pieces) {
    if (piece.kind === 'exec') {
      segments.push({
        codeStart: code.length,
        sourceStart: piece.start,
        length: piece.code.length,
      });
      code += `${piece.code}\n`;
    } else {
      if (piece.kind === 'output')
        outputs.set(code.length, { code: piece.code, start: piece.start });
      code += ';\n';
    }
  }
  const toSource = (pos: number): number => {
    let before = 0;
    for (const s of segments) {
      if (pos >= s.codeStart && pos <= s.codeStart + s.length)
        return s.sourceStart + pos - s.codeStart;
      if (s.codeStart <= pos) before = s.sourceStart + s.length;
    }
    return before;
  };
  return { code, outputs, toSource };
}
