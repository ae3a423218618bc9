// Every server-controlled string goes through here: rendered as a text node (Preact escapes it), control and
// invisible formatting characters made visible, and long values cut with an expander.
import { useState } from "preact/hooks";
import { formatSize, preview, visibleText } from "../text";

export function SafeText({ value, limit, multiline = false }: { value: string; limit?: number; multiline?: boolean }) {
  const [expanded, setExpanded] = useState(false);
  if (expanded) return <span class="safe-text">{visibleText(value, multiline)}</span>;
  const shown = preview(value, limit, multiline);
  if (!shown.truncated) return <span class="safe-text">{shown.text}</span>;
  return (
    <span class="safe-text">
      {shown.text}
      <span class="ellipsis">…</span>
      <button type="button" class="link-button expander" onClick={() => setExpanded(true)}>
        show all ({formatSize(shown.length)})
      </button>
    </span>
  );
}
