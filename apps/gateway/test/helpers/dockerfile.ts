import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile: keyword and its text (continuations joined). */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string | undefined;
  instructions: Instruction[];
}

/**
 * The stages of a Dockerfile, each with its instructions (comments and parser directives
 * dropped, `\` continuations joined). Enough to replay its steps outside Docker.
 */
export function readDockerfile(path: string): Stage[] {
  const text = readFileSync(path, 'utf8').replace(/\\\r?\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const space = line.search(/\s/);
    const keyword = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const args =
      space < 0
        ? ''
        : line
            .slice(space + 1)
            .replace(/\s+/g, ' ')
            .trim();
    if (keyword === 'FROM') {
      stages.push({ name: /\bAS\s+(\S+)$/i.exec(args)?.[1], instructions: [] });
    }
    stages.at(-1)?.instructions.push({ keyword, args });
  }
  return stages;
}

/** `ENV A=1 B=2` lines of a stage as one record (values unquoted). */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
      env[m[1] as string] = (m[2] as string).replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}

/** The JSON (exec) form of an instruction, e.g. `CMD ["node", "dist/main.js"]`. */
export function execForm(stage: Stage, keyword: string): string[] {
  const found = stage.instructions.findLast((i) => i.keyword === keyword);
  if (!found) throw new Error(`no ${keyword} in stage ${stage.name ?? '(unnamed)'}`);
  return JSON.parse(found.args) as string[];
}
