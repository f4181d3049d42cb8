/** Bounds of the limitTo language, checked when a rule set is parsed. */

/** Most rules (non-blank lines) in one limitTo text. */
export const MAX_RULES = 1_000;

/** Longest regular expression, in characters (URL regexes and the regexes inside parts). */
export const MAX_REGEX_LENGTH = 4_096;

/*
 * The compile budget, calibrated by measurement (`npx tsx bench/compile-budget.ts`, CPU time on
 * the 2-core development machine): one RE2 regex costs about 24 µs whatever its size, and one
 * unit of `regexWeight` at most about 0.77 µs. So the worst rule set allowed — any mix of regexes
 * within MAX_RULE_SET_WEIGHT, each charged REGEX_BASE_WEIGHT more — costs at most about
 * 50,000 × 0.77 µs ≈ 39 ms to compile, 45 ms measured (target: 50 ms). Identical regexes in one rule set are
 * compiled and charged once.
 */

/**
 * Highest compile weight of one regex (see `regexWeight`; about 30 ms of RE2 compile time), so
 * that a few characters such as `\pL{300}` cannot stall the process while rules are parsed.
 */
export const MAX_REGEX_WEIGHT = 40_000;

/** Highest total compile weight of one rule set, base weights included (about 45 ms at worst). */
export const MAX_RULE_SET_WEIGHT = 50_000;

/** Weight charged for every distinct regex on top of `regexWeight`: RE2's fixed cost of a compile (~24 µs). */
export const REGEX_BASE_WEIGHT = 32;

/** Deepest nesting of arrays a JsonData part looks through; deeper nesting does not match. */
export const MAX_JSON_ARRAY_NESTING = 64;

/** Longest text of a value, URL or regex quoted in a reason; longer ones are cut with `…`. */
export const MAX_QUOTED_LENGTH = 120;
