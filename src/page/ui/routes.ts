/** The page's views and their addresses (one level below the page root: `./`, `./audit`, `./settings`). */

export type View = 'tokens' | 'audit' | 'settings';

/** The view named by the last path segment under `root` (unknown → tokens). */
export function viewOf(pathname: string, rootPath: string): View {
  const rest = pathname.startsWith(rootPath) ? pathname.slice(rootPath.length) : '';
  if (rest === 'audit') return 'audit';
  if (rest === 'settings') return 'settings';
  return 'tokens';
}

/** Address of `view` under `root`, with a query. */
export function addressOf(view: View, root: string, query: Readonly<Record<string, string>> = {}): string {
  const url = new URL(view === 'tokens' ? './' : view, root);
  for (const [name, value] of Object.entries(query)) if (value !== '') url.searchParams.set(name, value);
  return url.href;
}
