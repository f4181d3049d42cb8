/**
 * The stricter of two maximum token lifetimes in days (null: no maximum). A node's configuration
 * and the database settings may both set one; the shorter wins, so neither can loosen the other.
 *
 * @example
 * stricterMaximum(30, null); // 30
 * stricterMaximum(30, 7);    // 7
 */
export function stricterMaximum(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
