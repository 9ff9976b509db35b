-- CreateEnum
CREATE TYPE "ReportPeriod" AS ENUM ('month', 'quarter', 'year');

-- CreateEnum
CREATE TYPE "ReportState" AS ENUM ('draft', 'in_review', 'released');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "RequestKind" ADD VALUE 'report_release';
ALTER TYPE "RequestKind" ADD VALUE 'report_correction';
ALTER TYPE "RequestKind" ADD VALUE 'report_access';

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "reportId" INTEGER,
ADD COLUMN     "reportPeriod" "ReportPeriod";

-- CreateTable
CREATE TABLE "Report" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "period" "ReportPeriod" NOT NULL,
    "periodKey" VARCHAR(7) NOT NULL,
    "state" "ReportState" NOT NULL DEFAULT 'draft',
    "figures" JSONB NOT NULL,
    "explanation" JSONB NOT NULL,
    "compiledBy" VARCHAR(32) NOT NULL,
    "compiledAt" TIMESTAMPTZ(3) NOT NULL,
    "dueOn" DATE NOT NULL,
    "releasedAt" TIMESTAMPTZ(3),
    "late" BOOLEAN NOT NULL DEFAULT false,
    "contentHash" CHAR(64),

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportCorrection" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "requestId" INTEGER NOT NULL,
    "item" VARCHAR(120) NOT NULL,
    "original" DECIMAL(16,2) NOT NULL,
    "corrected" DECIMAL(16,2) NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "createdBy" VARCHAR(32) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "appliedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReportCorrection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportGrant" (
    "id" SERIAL NOT NULL,
    "requestId" INTEGER NOT NULL,
    "period" "ReportPeriod" NOT NULL,
    "departmentId" INTEGER,
    "personId" INTEGER NOT NULL,
    "recipient" VARCHAR(200),
    "grantedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ReportGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Report_code_key" ON "Report"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Report_period_periodKey_key" ON "Report"("period", "periodKey");

-- CreateIndex
CREATE UNIQUE INDEX "ReportCorrection_requestId_key" ON "ReportCorrection"("requestId");

-- CreateIndex
CREATE INDEX "ReportCorrection_reportId_idx" ON "ReportCorrection"("reportId");

-- CreateIndex
CREATE UNIQUE INDEX "ReportGrant_requestId_key" ON "ReportGrant"("requestId");

-- CreateIndex
CREATE INDEX "ReportGrant_departmentId_period_idx" ON "ReportGrant"("departmentId", "period");

-- CreateIndex
CREATE INDEX "ReportGrant_personId_period_idx" ON "ReportGrant"("personId", "period");

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportCorrection" ADD CONSTRAINT "ReportCorrection_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportCorrection" ADD CONSTRAINT "ReportCorrection_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportGrant" ADD CONSTRAINT "ReportGrant_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportGrant" ADD CONSTRAINT "ReportGrant_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;
