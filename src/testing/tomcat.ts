/**
 * A real Apache Tomcat 10 (Debian's `tomcat10`) for differential tests: its own CATALINA_BASE in
 * a temporary directory, its own server.xml (one HTTP connector on a free loopback port, no
 * shutdown port), and the echo servlet of src/testing/tomcat/Echo.java (compiled with javac at
 * start) mapped at `/rest/*`. Stopped by killing the JVM it started.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export const CATALINA_HOME = '/usr/share/tomcat10';
const SOURCES = join(ROOT, 'src/testing/tomcat');

export interface RunningTomcat {
  readonly url: string;
  /** The X-Test-Id of every request the echo servlet received. */
  seen(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Why Tomcat cannot run here, or null. */
export function tomcatMissing(): string | null {
  if (!existsSync(join(CATALINA_HOME, 'bin/catalina.sh')))
    return `Tomcat 10 is not installed at ${CATALINA_HOME} (apt-get install tomcat10)`;
  try {
    execFileSync('javac', ['-version'], { stdio: 'ignore' });
  } catch {
    return 'javac is not installed (a JDK is needed to compile the echo servlet)';
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function serverXml(port: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Server port="-1" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector port="${port}" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" maxParameterCount="10000" />
    <Engine name="Catalina" defaultHost="localhost">
      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" deployOnStartup="false">
        <Context path="" docBase="ROOT" allowCasualMultipartParsing="true" reloadable="false" />
      </Host>
    </Engine>
  </Service>
</Server>
`;
}

/** Starts Tomcat with the echo servlet; resolves once it answers. */
export async function startTomcat(): Promise<RunningTomcat> {
  const base = mkdtempSync(join(tmpdir(), 'tokengate-tomcat-'));
  for (const dir of ['conf', 'logs', 'temp', 'work', 'webapps/ROOT/WEB-INF/classes'])
    mkdirSync(join(base, dir), { recursive: true });
  const port = await freePort();
  writeFileSync(join(base, 'conf/server.xml'), serverXml(port));
  copyFileSync('/etc/tomcat10/web.xml', join(base, 'conf/web.xml'));
  copyFileSync(join(SOURCES, 'web.xml'), join(base, 'webapps/ROOT/WEB-INF/web.xml'));
  execFileSync('javac', [
    '-encoding',
    'UTF-8',
    '-cp',
    join(CATALINA_HOME, 'lib/servlet-api.jar'),
    '-d',
    join(base, 'webapps/ROOT/WEB-INF/classes'),
    join(SOURCES, 'Echo.java'),
  ]);
  const child: ChildProcess = spawn(join(CATALINA_HOME, 'bin/catalina.sh'), ['run'], {
    env: {
      ...process.env,
      CATALINA_HOME,
      CATALINA_BASE: base,
      CATALINA_PID: '',
      JAVA_OPTS: '-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(base, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Tomcat exited (${child.exitCode}):\n${output.slice(-2000)}`);
    try {
      const response = await fetch(`${url}/__seen`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Tomcat did not start in time:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    seen: async () => (await (await fetch(`${url}/__seen`)).json()) as string[],
    stop,
  };
}
