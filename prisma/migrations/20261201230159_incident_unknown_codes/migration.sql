-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "unknownCodes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Incident_reportedById_reportedAt_idx" ON "Incident"("reportedById", "reportedAt");
