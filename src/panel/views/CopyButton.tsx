import { useState } from "preact/hooks";
import { scrubText } from "../../core/redact";
import type { PanelServices } from "../services";

/**
 * Every copy goes through here: the clipboard is an output like an exported file, so its text loses anything
 * secret-shaped (core/redact scrubText) unless the user chose to include secrets for this copy.
 */
export function CopyButton({
  text,
  services,
  label = "Copy",
  secrets = false,
}: {
  text: string;
  services: PanelServices;
  label?: string;
  secrets?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="tool copy"
      onClick={() => {
        void services.copy(secrets ? text : scrubText(text)).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? "Copied ✔" : label}
    </button>
  );
}
