-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "keyed" BOOLEAN NOT NULL DEFAULT false;
