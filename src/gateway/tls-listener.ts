import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { StartupError } from '../config/startup-error.js';

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** TLS 1.2 is the oldest version a client may use (1.0 and 1.1 are refused). */
const MIN_VERSION = 'TLSv1.2';

async function readPair(files: TlsFiles): Promise<{ cert: Buffer; key: Buffer }> {
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new StartupError(`the TLS ${what} file ${path} cannot be read (${code})`);
    }
  };
  const [cert, key] = await Promise.all([read(files.certFile, 'certificate'), read(files.keyFile, 'key')]);
  try {
    // fails here (not at the first handshake) when the files are no PEM pair
    createSecureContext({ cert, key, minVersion: MIN_VERSION });
  } catch (err) {
    throw new StartupError(
      `the TLS certificate ${files.certFile} and key ${files.keyFile} do not make a usable pair: ${(err as Error).message}`,
    );
  }
  return { cert, key };
}

export interface Listener {
  readonly server: Server | HttpsServer;
  readonly scheme: 'http' | 'https';
  /** Reads the certificate and key again and uses them for new handshakes; open connections stay. */
  reload(): Promise<void>;
}

/**
 * The HTTP server, or with `tls` an HTTPS server (TLS 1.2 or later) whose certificate can be
 * reloaded without dropping connections (`server.setSecureContext`). A reload that fails keeps the
 * certificate in use and rejects with the reason.
 *
 * @example
 * const listener = await createListener(options, { certFile, keyFile });
 * process.on('SIGHUP', () => listener.reload().catch(log));
 */
export async function createListener(options: ServerOptions, tls: TlsFiles | null): Promise<Listener> {
  if (tls === null) return { server: createHttpServer(options), scheme: 'http', reload: async () => {} };
  const pair = await readPair(tls);
  const server = createHttpsServer({ ...options, ...pair, minVersion: MIN_VERSION });
  return {
    server,
    scheme: 'https',
    async reload() {
      const next = await readPair(tls);
      server.setSecureContext({ ...next, minVersion: MIN_VERSION });
    },
  };
}
