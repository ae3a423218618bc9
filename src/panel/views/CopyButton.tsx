import { useState } from "preact/hooks";
import type { PanelServices } from "../services";

export function CopyButton({ text, services, label = "Copy" }: { text: string; services: PanelServices; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="tool copy"
      onClick={() => {
        void services.copy(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? "Copied ✔" : label}
    </button>
  );
}
