// HAR 1.2 validation shared by the interop tests: the schema of a maintained validator package
// (@har-sdk/validator), plus the spec's required fields that this schema leaves optional, minus two
// places where the schema is stricter than the spec.
import { HarValidator } from "@har-sdk/validator";

const validator = new HarValidator();

/**
 * Where @har-sdk's schema is stricter than HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/):
 * - `request.method` is an enum of 15 methods there; the spec says "method [string]", and browsers send
 *   and record any token (the truth matrix has Chromium's own HAR with custom methods);
 * - `log.entries` has minItems 1 there; the spec allows an empty array (DevTools exports one for an empty tab).
 * An error is excused only when the value really is such a case.
 */
function excused(error: { instancePath: string; keyword: string; params?: Record<string, unknown> }, har: any): boolean {
  if (error.keyword === "enum" && /^\/log\/entries\/\d+\/request\/method$/.test(error.instancePath)) {
    const index = Number(error.instancePath.split("/")[3]);
    return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(har.log.entries[index]?.request?.method ?? ""); // an RFC 9110 token
  }
  return (
    error.keyword === "minItems" && error.instancePath === "/log/entries" && Array.isArray(har.log.entries) && har.log.entries.length === 0
  );
}

/** HAR 1.2 fields the spec marks required that the schema does not (DevTools importers read them). */
const SPEC_REQUIRED: Array<[string, (entry: any) => unknown]> = [
  ["request.headersSize", (e) => e.request?.headersSize],
  ["request.bodySize", (e) => e.request?.bodySize],
  ["response.headersSize", (e) => e.response?.headersSize],
  ["response.bodySize", (e) => e.response?.bodySize],
  ["response.content.size", (e) => e.response?.content?.size],
  ["response.content.mimeType", (e) => e.response?.content?.mimeType],
  ["cache", (e) => e.cache],
  ["timings.send", (e) => e.timings?.send],
  ["timings.wait", (e) => e.timings?.wait],
  ["timings.receive", (e) => e.timings?.receive],
];

/** Every problem with `har` as a HAR 1.2 log, as readable lines; [] when valid. */
export async function harProblems(har: any): Promise<string[]> {
  const errors = (await validator.verify(har)) as Array<{
    instancePath: string;
    keyword: string;
    message?: string;
    params?: Record<string, unknown>;
  }>;
  const problems = errors
    .filter((e) => !excused(e, har))
    .map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`);
  (har?.log?.entries ?? []).forEach((entry: any, i: number) => {
    for (const [field, get] of SPEC_REQUIRED) {
      if (get(entry) === undefined) problems.push(`/log/entries/${i}: ${field} is required by HAR 1.2`);
    }
    // The spec: time is the sum of the timings that are not -1 (viewers draw the waterfall from them).
    const t = entry.timings ?? {};
    const sum = ["blocked", "dns", "connect", "send", "wait", "receive"].reduce(
      (n, k) => n + (typeof t[k] === "number" && t[k] > 0 ? t[k] : 0),
      0,
    );
    if (typeof entry.time === "number" && Math.abs(entry.time - sum) > 0.01)
      problems.push(`/log/entries/${i}: time ${entry.time} is not the sum of its timings (${sum})`);
    if (Number.isNaN(Date.parse(entry.startedDateTime))) problems.push(`/log/entries/${i}: startedDateTime is not an ISO 8601 date`);
  });
  return problems;
}
