/** The part of madge's API the architecture test uses (madge ships no types). */
declare module 'madge' {
  interface MadgeConfig {
    readonly baseDir?: string;
    readonly fileExtensions?: readonly string[];
    readonly tsConfig?: string;
    readonly excludeRegExp?: readonly RegExp[];
    readonly detectiveOptions?: Record<string, unknown>;
  }
  interface MadgeResult {
    /** File (relative to the scanned directory) → the files it imports. */
    obj(): Record<string, string[]>;
    /** Each import cycle, as the files on it. */
    circular(): string[][];
    /** Imports that could not be resolved to a file. */
    warnings(): { skipped: string[] };
  }
  function madge(path: string, config?: MadgeConfig): Promise<MadgeResult>;
  export default madge;
}
