// A response's Cross-Origin-Resource-Policy refusing a no-cors load, read from the headers when the log cannot
// record the block (Firefox's HAR writes it as a plain 200; a proxy never sees the browser's side): the rule
// (checks/not-cors.ts `corpRefuses`) over every value the browser writes, then the diagnosis over every kind of log.
import { describe, expect, it } from "vitest";
import { corpRefuses } from "../../src/core/checks/not-cors";
import { diagnoseExchange } from "../../src/core/diagnose";
import type { Exchange } from "../../src/core/model";
import { exchange, response } from "./build-exchange";

const MODES = ["no-cors", "cors", "navigate", "same-origin", "websocket", undefined] as const;
const SITES = ["same-origin", "same-site", "cross-site", "none", undefined] as const;
const POLICIES = ["same-origin", "same-site", "cross-origin", undefined, "bogus"] as const;

/** What every browser does (Fetch, "cross-origin resource policy internal check"), written out per case. */
function refused(mode: string | undefined, site: string | undefined, policy: string | undefined, sameScheme: boolean): boolean {
  if (mode !== "no-cors") return false; // CORS governs cors mode; navigations are not subresources
  if (policy === "same-origin") return site === "same-site" || site === "cross-site";
  // Cross-site by Sec-Fetch-Site can be same-site without the scheme (https page, http resource): let through then.
  if (policy === "same-site") return site === "cross-site" && sameScheme;
  return false; // cross-origin, absent or unknown values allow
}

describe("corpRefuses: every Sec-Fetch-Mode × Sec-Fetch-Site × policy × scheme", () => {
  const rows = MODES.flatMap((mode) =>
    SITES.flatMap((site) => POLICIES.flatMap((policy) => [true, false].map((sameScheme) => ({ mode, site, policy, sameScheme })))),
  );
  it.each(rows)("$mode from $site, CORP $policy, same scheme $sameScheme", ({ mode, site, policy, sameScheme }) => {
    expect(corpRefuses(mode, site, policy, sameScheme)).toBe(refused(mode, site, policy, sameScheme));
  });

  it("reads the values as the browser and servers write them (case, spaces)", () => {
    expect(corpRefuses(" No-CORS ", "Cross-Site", " Same-Origin ", true)).toBe(true);
    expect(corpRefuses("no-cors", "cross-site", "same-origin, cross-origin", true)).toBe(false);
    expect(corpRefuses(null, "cross-site", "same-origin", true)).toBe(false);
  });
});

const PAGE = "https://app.example.com";
const IMAGE = "https://cdn.other.example/logo.png";
/** An <img> without crossorigin, answered with `policy`; Sec-Fetch-* as the browser wrote them. */
function noCorsImage(
  observedBy: Exchange["observedBy"],
  outcome: Exchange["outcome"],
  policy: string | null,
  site = "cross-site",
): Exchange {
  const ex = exchange({
    url: IMAGE,
    page: PAGE,
    origin: null,
    headers: { "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Site": site, "Sec-Fetch-Dest": "image" },
    response: response(200, { "Content-Type": "image/png", ...(policy ? { "Cross-Origin-Resource-Policy": policy } : {}) }),
    observedBy,
  });
  ex.outcome = outcome;
  return ex;
}

describe("a no-cors load CORP refuses, by what the log says of the outcome", () => {
  const rows: { name: string; ex: Exchange; blocked: boolean }[] = [
    {
      name: "Firefox's HAR (a 200 it says was completed)",
      ex: noCorsImage("firefox", { kind: "completed" }, "same-origin"),
      blocked: true,
    },
    { name: "a proxy's log (outcome unknown)", ex: noCorsImage("unknown", { kind: "unknown" }, "same-origin"), blocked: true },
    {
      name: "Firefox's HAR, same-site policy, cross-site requester",
      ex: noCorsImage("firefox", { kind: "completed" }, "same-site"),
      blocked: true,
    },
    {
      name: "Firefox's HAR, same-site policy, same-site requester",
      ex: noCorsImage("firefox", { kind: "completed" }, "same-site", "same-site"),
      blocked: false,
    },
    { name: "Firefox's HAR, cross-origin policy", ex: noCorsImage("firefox", { kind: "completed" }, "cross-origin"), blocked: false },
    { name: "Firefox's HAR, no policy", ex: noCorsImage("firefox", { kind: "completed" }, null), blocked: false },
    {
      name: "Chrome reported it completed: the browser's word stands",
      ex: noCorsImage("chrome", { kind: "completed" }, "same-origin"),
      blocked: false,
    },
    {
      name: "a failure the file names otherwise (reset): that is the reason",
      ex: noCorsImage("firefox", { kind: "failed", error: "NS_ERROR_NET_RESET" }, "same-origin"),
      blocked: false,
    },
  ];
  it.each(rows)("$name", ({ ex, blocked }) => {
    const d = diagnoseExchange(ex, { browser: "firefox", fixes: false });
    if (!blocked) {
      expect(d.blockedBy?.id).not.toBe("not-cors-corp-coep");
      return;
    }
    expect(d.verdict).toBe("blocked");
    expect(d.blockedBy?.id).toBe("not-cors-corp-coep");
    expect(d.blockedBy?.actual ?? JSON.stringify(d.blockedBy)).toContain("Cross-Origin-Resource-Policy");
    expect(d.assumptions?.join(" ")).toContain("predicted from the headers");
  });

  it("a cors-mode request is CORS's: its CORP header is not the reason", () => {
    const ex = exchange({
      url: IMAGE,
      page: PAGE,
      headers: { "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "cross-site" },
      response: response(200, { "Access-Control-Allow-Origin": PAGE, "Cross-Origin-Resource-Policy": "same-origin" }),
      observedBy: "firefox",
    });
    ex.outcome = { kind: "completed" };
    const d = diagnoseExchange(ex, { browser: "firefox", fixes: false });
    expect(d.verdict).toBe("allowed");
  });
});
