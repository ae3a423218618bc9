// The commands a reader of a Markdown file would type: every line of a sh/bash/console (or unlabelled) fenced
// block, and every inline code span that starts with a command word. Output blocks (```text) are not commands.
const COMMAND_WORDS = /^(?:[A-Z_]+=\S*\s+)*(?:npm|npx|node|cors-doctor|sh|bash|git|sudo|su|apt-get)(?:\s|$)/;

export interface DocCommand {
  command: string;
  line: number;
  kind: "block" | "inline";
}

export function commandsOf(markdown: string): DocCommand[] {
  const out: DocCommand[] = [];
  const lines = markdown.split("\n");
  let fence: string | null = null;
  lines.forEach((text, i) => {
    const open = /^```\s*([\w-]*)\s*$/.exec(text);
    if (fence === null && open) {
      fence = open[1]!.toLowerCase();
      return;
    }
    if (fence !== null && /^```\s*$/.test(text)) {
      fence = null;
      return;
    }
    if (fence !== null) {
      if (!["", "sh", "bash", "shell", "console"].includes(fence)) return;
      const command = text
        .replace(/\s+#.*$/, "")
        .replace(/^\$\s+/, "")
        .trim();
      if (command && !command.startsWith("#")) out.push({ command, line: i + 1, kind: "block" });
      return;
    }
    for (const span of text.matchAll(/`([^`]+)`/g)) {
      const command = span[1]!.trim();
      if (COMMAND_WORDS.test(command)) out.push({ command, line: i + 1, kind: "inline" });
    }
  });
  return out;
}
