/**
 * Readable codes, one format for every ledger: PREFIX-YYYY-NNNN, the year in company time
 * and the number in order of creation within that year (DB-11 for customers). 客户 KH,
 * 申请 SQ (requests), 事件 SJ (incidents), 卷宗 JZ (annual volumes: the volume's year), 文件 WJ
 * (documents: the year filed), 借阅 JY (loans), 销售 XS (sales imports), 统计 TJ (statistics reports), 检查 JC (inspections), 销毁 XH (destruction batches), 移交 YJ (handovers). One formatter, one parser, one counter.
 */
import type { Tx } from './context.js';

export const CODE_PREFIXES = {
  customer: 'KH',
  request: 'SQ',
  incident: 'SJ',
  volume: 'JZ',
  document: 'WJ',
  loan: 'JY',
  salesImport: 'XS',
  report: 'TJ',
  inspection: 'JC',
  destruction: 'XH',
  handover: 'YJ',
} as const;
export type CodeKind = keyof typeof CODE_PREFIXES;

const PATTERNS = Object.fromEntries(
  Object.entries(CODE_PREFIXES).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}-(\\d{4})-(\\d{1,6})$`)]),
) as Record<CodeKind, RegExp>;

/** KH-2026-0001. */
export function formatCode(kind: CodeKind, year: number, sequence: number): string {
  return `${CODE_PREFIXES[kind]}-${year}-${String(sequence).padStart(4, '0')}`;
}

/** Normalizes what a user typed (kh-2026-1 → KH-2026-0001); undefined if it is not such a code. */
export function parseCode(kind: CodeKind, text: string): string | undefined {
  const match = PATTERNS[kind].exec(text.trim().toUpperCase());
  return match ? formatCode(kind, Number(match[1]), Number(match[2])) : undefined;
}

/** Which ledger a code belongs to, for commands that take any of several (`/kh where`). */
export function parseAnyCode<K extends CodeKind>(
  kinds: readonly K[],
  text: string,
): { kind: K; code: string } | undefined {
  for (const kind of kinds) {
    const code = parseCode(kind, text);
    if (code) return { kind, code };
  }
  return undefined;
}

/** The next code of a kind and year, numbered atomically inside the caller's transaction (rolled back with it). */
export async function nextCode(tx: Tx, kind: CodeKind, year: number): Promise<string> {
  return formatCode(kind, year, await nextSequence(tx, `${kind}:${year}`));
}

async function nextSequence(tx: Tx, scope: string): Promise<number> {
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO "CodeCounter" (scope, last) VALUES (${scope}, 1)
    ON CONFLICT (scope) DO UPDATE SET last = "CodeCounter".last + 1
    RETURNING last`;
  const last = rows[0]?.last;
  if (last === undefined) throw new Error(`counter ${scope} returned no row`);
  return last;
}
