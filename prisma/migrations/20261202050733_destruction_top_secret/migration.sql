-- AlterTable
ALTER TABLE "DestructionBatch" ADD COLUMN     "topSecret" BOOLEAN NOT NULL DEFAULT false;
