/**
 * What a token field must be, in the words both the token service and the `set` endpoint's
 * schema use (the page shows a message beside the field it names). No imports: the browser's
 * types come from the schema that uses these.
 */
export const TOKEN_FIELD_MESSAGES = {
  label: 'label must be a string',
  daysUntilExpiry: 'daysUntilExpiry must be a whole number of days (0 or absent: never expires)',
  userName: 'userName must be a string',
  limitTo: 'limitTo must be a string: one rule per line',
  token: 'token must be a string',
} as const;
