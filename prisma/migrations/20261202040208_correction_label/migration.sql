-- AlterTable
ALTER TABLE "ReportCorrection" ADD COLUMN     "label" VARCHAR(60);
