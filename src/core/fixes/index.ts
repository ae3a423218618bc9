// Fix recipes (contracts §5): for one finding, the server-side change per stack, filled with the failing
// request's real origin, method, headers and credentials — plus a client-side fix where the request
// itself is what should change. Every stack renders the same policy (policy.ts); the finding decides
// the title, the warning about the tempting wrong fix, and the stack-specific pitfall (advice.ts).
import type { Fix } from "../model";
import { adviceFor } from "./advice";
import { apache } from "./apache";
import { aspnet } from "./aspnet";
import { caddy } from "./caddy";
import { clientFix } from "./client";
import { django } from "./django";
import { express } from "./express";
import { fastapi } from "./fastapi";
import { fastify } from "./fastify";
import { flask } from "./flask";
import { flaskCors } from "./flask-cors";
import { go } from "./go";
import { hono } from "./hono";
import { http } from "./http";
import { nginx } from "./nginx";
import { policyFor } from "./policy";
import { spring } from "./spring";
import type { StackRecipe } from "./stack";

/** The facts of the failing request that a recipe is filled with. */
export interface FixContext {
  /** The finding the fix addresses (contracts §1 id). */
  findingId: string;
  /** The page's origin as the browser sent it in `Origin` (may be "null"). */
  origin: string;
  /** The request URL (the API endpoint). */
  url: string;
  /** The actual request's method as sent (case preserved: `patch` stays lower-case). */
  method: string;
  /** Non-safelisted request header names the request sends (lower-case, sorted). */
  requestHeaders: string[];
  /** True when the request is credentialed (credentials mode "include"). */
  credentials: boolean;
  /** The header at fault and the values compared, when the finding has them. */
  header?: string;
  expected?: string;
  actual?: string;
  /** Status of the response at fault (e.g. 401 on the preflight). */
  status?: number;
}

/** Every server stack, in the order recipes are shown. */
export const STACKS: readonly StackRecipe[] = [
  flaskCors,
  flask,
  django,
  fastapi,
  express,
  fastify,
  hono,
  nginx,
  apache,
  caddy,
  go,
  spring,
  aspnet,
  http,
];

/**
 * Recipes rendered for recently seen contexts. A log repeats the same endpoint, origin and failure many
 * times; rendering fourteen stacks each time was most of the engine's cost on large HAR files.
 */
const recent = new Map<string, Fix[]>();
const RECENT_LIMIT = 512;

/** Recipes for every stack that applies to this finding, filled with the request's real values. */
export function fixesFor(context: FixContext): Fix[] {
  // Recipes use the URL's origin and path only (policy.ts), so the query does not split the cache.
  const key = JSON.stringify([
    context.findingId,
    context.origin,
    context.url.split(/[?#]/, 1)[0],
    context.method,
    context.requestHeaders,
    context.credentials,
    context.header,
    context.expected,
    context.actual,
    context.status,
  ]);
  let fixes = recent.get(key);
  if (!fixes) {
    fixes = renderFixes(context);
    if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value!);
    recent.set(key, fixes);
  }
  // Copies: callers (redaction, what-if) may change what they get.
  return fixes.map((f) => ({ ...f }));
}

function renderFixes(context: FixContext): Fix[] {
  const policy = policyFor(context);
  const advice = adviceFor(context.findingId);
  const caveat = policy.caveats.join(" ");
  const fixes: Fix[] = [];
  if (advice.client) fixes.push(clientFix(advice.client, context, policy));
  for (const stack of STACKS) {
    const stackNote = (advice.client ? stack.notes?.[advice.client] : undefined) ?? stack.notes?.[advice.focus];
    fixes.push({
      stack: stack.stack,
      title: `${stack.label}: ${advice.fixes}`,
      code: stack.render(policy),
      notes: [advice.dont, stackNote, caveat].filter(Boolean).join(" "),
    });
  }
  return fixes;
}
