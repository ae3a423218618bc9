// fast-check generators for hostile input: whatever a server, a HAR file from a stranger or a broken
// capture can put in front of the engine.
import fc from "fast-check";
import type { Exchange, Header, HttpResponse, Leg } from "../../src/core/model";

const CORS_NAMES = [
  "access-control-allow-origin",
  "Access-Control-Allow-Origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-max-age",
  "access-control-expose-headers",
  "vary",
  "location",
  "origin",
  "cookie",
  "authorization",
  "content-type",
  "access-control-request-method",
  "access-control-request-headers",
  "sec-fetch-mode",
  "range",
];

const ORIGINS = ["http://127.0.0.1:3000", "http://localhost:4000", "null", "https://a.example", "*", "", "http://[::1]:80"];

/** Header values: plausible CORS values, hostile bytes, unicode, and very long strings. */
export const headerValue = fc.oneof(
  fc.constantFrom(...ORIGINS, "true", "True", "GET, PUT", "*", "x-foo, *", "600", "-1", "abc", "bytes=0-10", 'text/plain; charset="x"'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom("\u0000", "\r", "\n", "\u202e", ",", " ", '"', "<", "*"), maxLength: 20 }),
  fc.nat({ max: 5000 }).map((n) => "a".repeat(n)),
);

export const headerName = fc.oneof(
  fc.constantFrom(...CORS_NAMES),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
);

export const header: fc.Arbitrary<Header> = fc.record({ name: headerName, value: headerValue });

/** Header lists, with duplicates of the CORS headers on purpose. */
export const headers = fc.array(header, { maxLength: 12 });

export const url = fc.oneof(
  fc.constantFrom(
    "http://localhost:4000/api",
    "http://127.0.0.1:3000/same",
    "https://api.example/x?token=1",
    "ftp://x/y",
    "not a url",
    "http://[::1",
    "",
    "javascript:alert(1)",
    "data:,x",
  ),
  fc.webUrl(),
  fc.string({ maxLength: 30 }),
);

export const status = fc.oneof(
  fc.constantFrom(200, 204, 301, 302, 307, 308, 401, 403, 404, 500, 0),
  fc.integer({ min: -1000, max: 100000 }),
);

export const response: fc.Arbitrary<HttpResponse> = fc.record({ status, headers }, { requiredKeys: ["status", "headers"] });

const method = fc.oneof(fc.constantFrom("GET", "POST", "PUT", "patch", "DELETE", "OPTIONS", "get"), fc.string({ maxLength: 8 }));

export const leg: fc.Arbitrary<Leg> = fc.record(
  {
    request: fc.record({ method, url, headers }),
    response,
    preflight: fc.record(
      {
        request: fc.record({ method: fc.constant("OPTIONS"), url, headers }),
        response,
        error: fc.constantFrom("net::ERR_CONNECTION_REFUSED", "NS_ERROR_DOM_BAD_URI"),
      },
      { requiredKeys: ["request"] },
    ),
  },
  { requiredKeys: ["request"] },
);

export const exchange: fc.Arbitrary<Exchange> = fc.record(
  {
    initiatorOrigin: fc.oneof(fc.constantFrom(...ORIGINS), fc.constant(null), fc.string({ maxLength: 20 })),
    legs: fc.array(leg, { maxLength: 4 }),
    outcome: fc.oneof(
      fc.constant({ kind: "unknown" as const }),
      fc.constant({ kind: "completed" as const }),
      fc
        .constantFrom("net::ERR_FAILED", "net::ERR_ABORTED", "NS_ERROR_DOM_BAD_URI", "unknown", "net::ERR_CONNECTION_REFUSED", "")
        .map((error) => ({ kind: "failed" as const, error })),
    ),
    observedBy: fc.constantFrom("chrome" as const, "firefox" as const, "unknown" as const),
    credentials: fc.constantFrom("omit" as const, "same-origin" as const, "include" as const),
    resourceType: fc.constantFrom("fetch", "xhr", "main_frame", "image", "preflight", "other"),
  },
  { requiredKeys: ["initiatorOrigin", "legs", "outcome"] },
);

/**
 * The run budget: `npm test` replays a few thousand fixed cases (seconds, not minutes: 10^5 took 5 minutes
 * on two busy cores); `npm run fuzz` sets FUZZ_RUNS=10^6, shared out between the properties.
 */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);

/** Long enough for 10^6 runs on two shared cores under `npm run fuzz`; a minute under `npm test`. */
export const FUZZ_TIMEOUT_MS = process.env.FUZZ_RUNS ? 6 * 3600_000 : 120_000;

/**
 * `npm test` replays the same cases every run (a CI run must not fail by chance); `npm run fuzz` explores
 * with a fresh seed (FUZZ_SEED=random), and fast-check prints the seed of any failure to keep.
 */
export const SEED: number | undefined = process.env.FUZZ_SEED === "random" ? undefined : Number(process.env.FUZZ_SEED ?? 20261121);
