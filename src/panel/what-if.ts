// What-if: the user edits the response headers (preflight and actual) or the request's credentials mode and
// headers of a captured exchange, and the engine diagnoses the edited copy. The captured outcome is dropped
// from the copy: the browser's real outcome describes the original headers, so the engine must predict.
import type { CredentialsMode, Exchange, Header } from "../core/model";

/**
 * Values longer than this stay out of the text areas (a 1 MB header would make the editor unusable): the
 * area shows a placeholder, and the placeholder left as it is means "keep the captured value".
 */
export const MAX_EDITABLE_VALUE = 4096;

export interface WhatIfDraft {
  /** Placeholder → captured value, for the values too long to edit. */
  kept: Record<string, string>;
  credentials: CredentialsMode;
  requestHeaders: string;
  preflightStatus: string;
  preflightHeaders: string;
  actualStatus: string;
  actualHeaders: string;
  hasPreflight: boolean;
}

export function headersToText(headers: Header[], kept: Record<string, string> = {}): string {
  return headers
    .map((h) => {
      if (h.value.length <= MAX_EDITABLE_VALUE && !/[\r\n]/.test(h.value)) return `${h.name}: ${h.value}`;
      // Too long, or a line break that would split the header: keep the captured value behind a placeholder.
      const placeholder = `⟪captured value ${Object.keys(kept).length + 1}, ${h.value.length} characters⟫`;
      kept[placeholder] = h.value;
      return `${h.name}: ${placeholder}`;
    })
    .join("\n");
}

/** "Name: value" per line; lines without a colon are ignored (they cannot be a header). */
export function textToHeaders(text: string, kept: Record<string, string> = {}): Header[] {
  const out: Header[] = [];
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!name) continue;
    const value = line
      .slice(colon + 1)
      .replace(/^[ \t]+/, "")
      .replace(/[ \t]+$/, "");
    out.push({ name, value: Object.hasOwn(kept, value) ? kept[value]! : value });
  }
  return out;
}

function inferCredentials(exchange: Exchange): CredentialsMode {
  if (exchange.credentials) return exchange.credentials;
  return (exchange.legs[0]?.request.headers ?? []).some((h) => /^(cookie|authorization)$/i.test(h.name)) ? "include" : "same-origin";
}

export function draftFrom(exchange: Exchange): WhatIfDraft {
  const first = exchange.legs[0];
  const last = exchange.legs.at(-1);
  const preflight = exchange.legs.find((l) => l.preflight)?.preflight;
  const kept: Record<string, string> = {};
  return {
    kept,
    credentials: inferCredentials(exchange),
    requestHeaders: headersToText(first?.request.headers ?? [], kept),
    hasPreflight: !!preflight,
    preflightStatus: String(preflight?.response?.status ?? 204),
    preflightHeaders: headersToText(preflight?.response?.headers ?? [], kept),
    actualStatus: String(last?.response?.status || 200),
    // A request that never got a response (its preflight failed) is edited from the CORS headers the preflight
    // got: the same middleware usually answers both, and an empty response would only show "no ACAO" again.
    actualHeaders: headersToText(
      last?.response?.headers ??
        (preflight?.response?.headers ?? []).filter((h) => /^(access-control-allow-(origin|credentials)|vary)$/i.test(h.name)),
      kept,
    ),
  };
}

function status(text: string, fallback: number): number {
  const n = Number(text.trim());
  return Number.isInteger(n) && n >= 0 && n <= 999 ? n : fallback;
}

/** The edited copy of the exchange. A request that never got a response is assumed to get the edited one. */
export function applyDraft(exchange: Exchange, draft: WhatIfDraft): Exchange {
  const legs = exchange.legs.map((leg) => ({ ...leg }));
  if (legs.length === 0) return exchange;
  legs[0] = { ...legs[0]!, request: { ...legs[0]!.request, headers: textToHeaders(draft.requestHeaders, draft.kept) } };
  const preflightIndex = legs.findIndex((l) => l.preflight);
  if (draft.hasPreflight && preflightIndex >= 0) {
    const leg = legs[preflightIndex]!;
    legs[preflightIndex] = {
      ...leg,
      preflight: {
        ...leg.preflight!,
        error: undefined,
        response: {
          status: status(draft.preflightStatus, 204),
          statusText: "",
          headers: textToHeaders(draft.preflightHeaders, draft.kept),
        },
      },
    };
  }
  const lastIndex = legs.length - 1;
  const last = legs[lastIndex]!;
  legs[lastIndex] = {
    ...last,
    response: {
      status: status(draft.actualStatus, 200),
      statusText: last.response?.statusText ?? "",
      headers: textToHeaders(draft.actualHeaders, draft.kept),
    },
  };
  return { ...exchange, legs, credentials: draft.credentials, outcome: { kind: "unknown" } };
}
