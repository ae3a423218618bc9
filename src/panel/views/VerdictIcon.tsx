import type { RowVerdict } from "../rows";

const icons: Record<RowVerdict, { glyph: string; label: string }> = {
  blocked: { glyph: "✖", label: "Blocked" },
  warning: { glyph: "▲", label: "Warning" },
  ok: { glyph: "✔", label: "Allowed" },
  "not-cors": { glyph: "–", label: "Not CORS" },
  pending: { glyph: "…", label: "In flight" },
};

/** The verdict as an icon with a text alternative (screen readers read the label, the tooltip shows it). */
export function VerdictIcon({ verdict }: { verdict: RowVerdict }) {
  const icon = icons[verdict];
  return (
    <span class={`verdict-icon ${verdict}`} role="img" aria-label={icon.label} title={icon.label}>
      {icon.glyph}
    </span>
  );
}
