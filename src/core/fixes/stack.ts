// What every stack file exports: how to render the shared policy as that stack's configuration,
// and the stack's own pitfall for the part of the configuration a finding is about.
import type { ClientFixKind, Focus } from "./advice";
import type { CorsPolicy } from "./policy";

export interface StackRecipe {
  /** Contracts §5 stack id: "flask-cors", "nginx", … */
  stack: string;
  /** Human name used in titles. */
  label: string;
  render(policy: CorsPolicy): string;
  /** One line per focus (or client-side cause) where this stack has a specific trap (e.g. nginx `always`). */
  notes?: Partial<Record<Focus | ClientFixKind, string>>;
}

/** Methods without the literal lower-case spellings, for libraries that upper-case every method. */
export function upperMethods(policy: CorsPolicy): string[] {
  return [...new Set(policy.methods.map((m) => m.toUpperCase()))];
}

/** "a, b, c" as a header value. */
export function list(values: string[]): string {
  return values.join(", ");
}
