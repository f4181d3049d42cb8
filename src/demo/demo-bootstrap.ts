import type { Services } from '../app/open-services.js';

export interface DemoWelcome {
  /** Lines to print: the first admin token (once) and a ready curl line. */
  readonly lines: readonly string[];
}

const DEMO_ADMIN = 'admin';

/**
 * First start of the demo (`command`: how the person runs the CLI, see cli/command-name.ts): creates the `admin` user and a first admin token, and returns what
 * to print (the secret is shown this once). Later starts only print how to continue.
 */
export async function bootstrapDemo(services: Services, publicUrl: string, command: string): Promise<DemoWelcome> {
  const existing = await services.store.findUser(DEMO_ADMIN);
  const banner = [
    '',
    '  DEMO MODE: the upstream is a small built-in sample REST API (in memory), not a real server.',
    '  Do not use --demo in production; point --upstream at your REST API instead.',
    '',
  ];
  if (existing !== undefined) {
    return {
      lines: [
        ...banner,
        `  The demo admin user exists already; create another token with:`,
        `    ${command} token create --label "my script" --user admin --data-dir ${services.config.dataDir}`,
        '',
      ],
    };
  }
  const admin = await services.users.add({ username: DEMO_ADMIN, displayName: 'Demo administrator', admin: true });
  const { record, secret } = await services.tokens.create(
    { label: 'demo admin token', userName: admin.username },
    admin,
  );
  return {
    lines: [
      ...banner,
      `  Created user "${admin.username}" and a first admin token (id ${record.id}).`,
      '  The token is shown only now; keep it like a password:',
      '',
      `    ${secret}`,
      '',
      '  Try it:',
      `    curl -s -u ${admin.username}:${secret} ${publicUrl}/rest/api/space`,
      `    curl -s -u ${admin.username}:${secret} ${publicUrl}/rest/extender/1.0/tokenTools/get`,
      '',
      `  Web page: ${publicUrl}/tokengate/ — give admin a password first:`,
      `    ${command} user passwd admin --data-dir ${services.config.dataDir}`,
      '',
    ],
  };
}
