// Lints that need several exchanges of one log (taxonomy B.1/B.2): what one response cannot prove.
import { get } from "../headers";
import type { CorsDiagnosis, Exchange, Finding } from "../model";
import { originOf } from "../origin";
import type { DiagnoseOptions } from "../diagnose";
import { variesByOrigin } from "./vary";
import { cookieLints } from "./cookies";

interface Observed {
  index: number;
  target: string;
  url: string;
  requestOrigin: string;
  acao: string | null;
  credentials: boolean;
  vary: boolean;
  status: number;
}

function observe(exchanges: Exchange[], diagnoses: CorsDiagnosis[]): Observed[] {
  const out: Observed[] = [];
  exchanges.forEach((e, index) => {
    if (diagnoses[index]?.role !== "actual") return;
    const leg = e.legs[e.legs.length - 1];
    const response = leg?.response;
    const origin = e.initiatorOrigin ?? get(leg?.request.headers, "origin");
    if (!leg || !response || !origin) return;
    out.push({
      index,
      target: originOf(leg.request.url) ?? "",
      url: leg.request.url.split("?")[0]!,
      requestOrigin: origin,
      acao: get(response.headers, "access-control-allow-origin"),
      credentials: get(response.headers, "access-control-allow-credentials") === "true",
      vary: variesByOrigin(get(response.headers, "vary")),
      status: response.status,
    });
  });
  return out;
}

function addOnce(diagnosis: CorsDiagnosis, finding: Finding): void {
  if (diagnosis.findings.some((f) => f.id === finding.id && f.severity === finding.severity)) {
    diagnosis.findings = diagnosis.findings.filter((f) => f.id !== finding.id);
  }
  diagnosis.findings.push(finding);
  const order = { error: 0, warning: 1, info: 2 } as const;
  diagnosis.findings.sort((a, b) => order[a.severity] - order[b.severity]);
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

export function crossExchangeLints(exchanges: Exchange[], diagnoses: CorsDiagnosis[], options: DiagnoseOptions): void {
  void options;
  cookieLints(exchanges, diagnoses);
  const observed = observe(exchanges, diagnoses);
  for (const [target, group] of groupBy(observed, (o) => o.target)) {
    // Reflection: the same server echoed two different origins, with credentials.
    const reflected = group.filter((o) => o.acao !== null && o.acao !== "*" && o.acao === o.requestOrigin);
    const origins = new Set(reflected.map((o) => o.requestOrigin));
    if (origins.size >= 2) {
      const withCredentials = reflected.some((o) => o.credentials);
      for (const o of reflected) {
        addOnce(diagnoses[o.index]!, {
          id: "acao-reflects-arbitrary-origin", severity: "warning", request: "actual", header: "access-control-allow-origin",
          actual: o.acao ?? "",
          title: `${target} allowed ${origins.size} different origins${withCredentials ? " with credentials" : ""}`,
          detail: `Seen in this log: ${[...origins].slice(0, 5).join(", ")}. If the server echoes any Origin, every site can read its responses${withCredentials ? ", authenticated ones included" : ""}. Use an explicit allow-list, and verify with \`cors-doctor probe --audit\`.`,
        });
      }
    }
    // Error responses without CORS headers while successful ones have them: the headers are added
    // only on the success path.
    const good = group.filter((o) => o.status < 400 && o.acao !== null);
    const bad = group.filter((o) => o.status >= 400 && o.acao === null);
    if (good.length > 0 && bad.length > 0) {
      for (const o of bad) {
        addOnce(diagnoses[o.index]!, {
          id: "cors-headers-missing-on-error-responses", severity: diagnoses[o.index]!.verdict === "blocked" ? "error" : "warning",
          request: "actual", header: "access-control-allow-origin", actual: String(o.status),
          title: `${target} sends CORS headers on successful responses but not on this HTTP ${o.status}`,
          detail: `${good.length} successful response(s) from ${target} carry Access-Control-Allow-Origin and this ${o.status} does not, so the page sees a CORS error instead of the real one. Add the headers on error responses too (nginx: add_header … always; error handlers after the CORS middleware).`,
        });
      }
    }
  }
  // The same URL answered different origins with different allow-origins and no Vary: Origin.
  for (const [, group] of groupBy(observed, (o) => o.url)) {
    const values = new Set(group.filter((o) => o.acao !== null && o.acao !== "*").map((o) => o.acao));
    if (values.size < 2) continue;
    for (const o of group) {
      if (o.vary || o.acao === null || o.acao === "*") continue;
      addOnce(diagnoses[o.index]!, {
        id: "dynamic-acao-missing-vary", severity: "warning", request: "actual", header: "vary", expected: "Origin",
        actual: "",
        title: "This URL answers different origins with different Access-Control-Allow-Origin values, without Vary: Origin",
        detail: `Seen in this log: ${[...values].slice(0, 5).join(", ")}. Without Vary: Origin a cache can serve one origin's answer to another. Add Vary: Origin.`,
        spec: "https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches",
      });
    }
  }
}
