// Who may talk to the background. The background answers with the capture of a tab, and with
// `includeSecrets` with its cookies and tokens: only this extension's own pages (panel, popup, the automation
// page) may ask. A content script shares the extension id but runs in a web page, whose URL it reports; another
// extension has another id. Pure, so the rule is tested without a browser (test/unit/sender.test.ts).

/** The parts of `runtime.MessageSender` the check reads (Chrome and Firefox both fill `id` and `url`). */
export interface SenderLike {
  id?: string;
  url?: string;
  /** Chrome ≥ 80 only: the origin of the sending document. Checked when present. */
  origin?: string;
}

/**
 * True when `sender` is a page of this extension: same extension id, and a document on the extension's origin.
 * `extensionOrigin` is `runtime.getURL("")` (e.g. `chrome-extension://ID/` or `moz-extension://UUID/`), with or
 * without its trailing slash. A string comparison, not `new URL().origin`: Node and some engines give "null" as
 * the origin of non-special schemes, and a prefix that ends in "/" cannot be extended by `@host` or `.evil`.
 */
export function isTrustedSender(sender: SenderLike | undefined | null, extensionId: string, extensionOrigin: string): boolean {
  if (!sender || typeof sender !== "object") return false;
  if (!extensionId || sender.id !== extensionId) return false;
  const origin = extensionOrigin.replace(/\/+$/, "");
  if (!/^[a-z][a-z0-9+.-]*-extension:\/\/[^/?#@]+$/i.test(origin)) return false;
  if (typeof sender.url !== "string" || !sender.url.startsWith(origin + "/")) return false;
  if (sender.origin !== undefined && sender.origin !== origin) return false;
  return true;
}
