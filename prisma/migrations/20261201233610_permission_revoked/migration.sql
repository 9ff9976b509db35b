-- AlterTable
ALTER TABLE "Permission" ADD COLUMN     "revokedAt" TIMESTAMPTZ(3);
