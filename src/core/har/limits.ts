// Bounds that every number read from a HAR file is checked against at the edge (read.ts), and that the
// grouping relies on: no value from input may size an array or a loop beyond them.

/** Fetch, "HTTP-redirect fetch" step 5: a 21st redirect is a network error, so a chain has at most 21 requests. */
export const MAX_LEGS = 21;
/** Fetch: a response's status is an integer in the range 0 to 999 (0: no response). */
export const MAX_STATUS = 999;
/** ECMAScript time values: ±8.64e15 ms around the epoch; beyond that `Date` cannot represent the instant. */
export const MAX_TIME_VALUE = 8.64e15;
