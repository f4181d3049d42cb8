/**
 * A reason tokengate refuses to start (or a CLI command refuses to run): a bad key, a key file
 * readable by others, a database sealed with another key, a secure-mode mismatch… The message is
 * one or two sentences for an operator, says what to do, and never contains a secret.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
