/** Mapping the server's messages (which name their field first) to the create form's fields. */

/** A field of the create form, or `form` for anything else. */
export type Field = 'label' | 'user' | 'days' | 'limitTo' | 'form';

/** Which field a server message is about (the endpoint names the field first). */
export function fieldOfMessage(message: string): Field {
  if (/^label\b/i.test(message)) return 'label';
  if (/^daysUntilExpiry\b|^tokens must expire/i.test(message)) return 'days';
  if (/^limitTo\b/i.test(message)) return 'limitTo';
  if (/^user(Name)?\b|^you can create tokens only/i.test(message)) return 'user';
  return 'form';
}
