/**
 * Reading Prisma errors raised through driver adapters. With adapters, a unique violation
 * (P2002) does not say which constraint in `meta.target`; the constraint name is in the
 * driver error's cause.
 */
interface PrismaLikeError {
  code?: string;
  meta?: {
    target?: string[] | string;
    driverAdapterError?: {
      cause?: { constraint?: { fields?: string[]; index?: string } | string; originalMessage?: string };
    };
  };
}

export function isUniqueViolation(error: unknown, constraintHint?: string): boolean {
  const e = error as PrismaLikeError | null;
  if (e?.code !== 'P2002') return false;
  if (!constraintHint) return true;
  return JSON.stringify(e.meta ?? {}).includes(constraintHint);
}
