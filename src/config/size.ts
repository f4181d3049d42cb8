const SIZE = /^(\d+)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;
const UNIT: Readonly<Record<string, number>> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Bytes of `1048576`, `512kb`, `2MB`, `1gib` (units are powers of 1024), or null. */
export function parseSize(text: string): number | null {
  const match = SIZE.exec(text.trim());
  if (match === null) return null;
  const unit = (match[2] ?? 'b').toLowerCase().charAt(0);
  return Number(match[1]) * (UNIT[unit] ?? 1);
}
