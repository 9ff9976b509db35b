-- AlterTable
ALTER TABLE "ApprovalStep" ADD COLUMN     "custodians" BOOLEAN NOT NULL DEFAULT false;
