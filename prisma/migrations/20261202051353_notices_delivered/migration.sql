-- AlterTable
ALTER TABLE "InspectionAlert" ADD COLUMN     "deliveredAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "SubmissionNotice" ADD COLUMN     "deliveredAt" TIMESTAMPTZ(3);

-- Notices sent before this column existed were delivered then.
UPDATE "InspectionAlert" SET "deliveredAt" = "sentAt";
UPDATE "SubmissionNotice" SET "deliveredAt" = "sentAt";
