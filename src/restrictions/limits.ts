/** Bounds of the limitTo language, checked when a rule set is parsed. */

/** Most rules (non-blank lines) in one limitTo text. */
export const MAX_RULES = 1_000;

/** Longest regular expression, in characters (URL regexes and the regexes inside parts). */
export const MAX_REGEX_LENGTH = 4_096;

/**
 * Highest compile weight of one regex (see `regexWeight`; about 40 ms of RE2 compile time), so
 * that a few characters such as `\pL{300}` cannot stall the process while rules are parsed.
 */
export const MAX_REGEX_WEIGHT = 100_000;

/** Highest total compile weight of one rule set (about 200 ms of compile time at worst). */
export const MAX_RULE_SET_WEIGHT = 500_000;

/** Deepest nesting of arrays a JsonData part looks through; deeper nesting does not match. */
export const MAX_JSON_ARRAY_NESTING = 64;

/** Longest text of a value, URL or regex quoted in a reason; longer ones are cut with `…`. */
export const MAX_QUOTED_LENGTH = 120;
