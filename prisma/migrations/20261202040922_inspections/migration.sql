-- CreateEnum
CREATE TYPE "InspectionKind" AS ENUM ('full', 'environment', 'event');

-- CreateEnum
CREATE TYPE "FindingAction" AS ENUM ('repair', 'rebox', 'move', 'other');

-- AlterTable
ALTER TABLE "Inspection" ADD COLUMN     "checklist" JSONB,
ADD COLUMN     "code" VARCHAR(20),
ADD COLUMN     "completedAt" TIMESTAMPTZ(3),
ADD COLUMN     "completedBy" VARCHAR(32),
ADD COLUMN     "dueOn" DATE,
ADD COLUMN     "humidity" INTEGER,
ADD COLUMN     "kind" "InspectionKind" NOT NULL DEFAULT 'event',
ADD COLUMN     "period" VARCHAR(7),
ADD COLUMN     "temperature" DECIMAL(4,1);

-- Inspections opened by incidents before codes existed get JC-YYYY-NNNN in order of
-- opening (the year of requestedAt in UTC: the company's time zone is not known here), and
-- the counters continue after them.
WITH numbered AS (
  SELECT id, EXTRACT(YEAR FROM "requestedAt" AT TIME ZONE 'UTC')::int AS year,
         row_number() OVER (PARTITION BY EXTRACT(YEAR FROM "requestedAt" AT TIME ZONE 'UTC') ORDER BY id) AS n
    FROM "Inspection"
)
UPDATE "Inspection" i SET "code" = 'JC-' || numbered.year || '-' || lpad(numbered.n::text, 4, '0')
  FROM numbered WHERE numbered.id = i.id;
INSERT INTO "CodeCounter" (scope, last)
  SELECT 'inspection:' || EXTRACT(YEAR FROM "requestedAt" AT TIME ZONE 'UTC')::int, count(*)
    FROM "Inspection" GROUP BY 1
  ON CONFLICT (scope) DO UPDATE SET last = GREATEST("CodeCounter".last, EXCLUDED.last);
ALTER TABLE "Inspection" ALTER COLUMN "code" SET NOT NULL;

-- CreateTable
CREATE TABLE "InspectionFinding" (
    "id" SERIAL NOT NULL,
    "inspectionId" INTEGER NOT NULL,
    "subject" VARCHAR(200) NOT NULL,
    "problem" VARCHAR(500) NOT NULL,
    "action" "FindingAction" NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "closedBy" VARCHAR(32),
    "closeNote" VARCHAR(500),

    CONSTRAINT "InspectionFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InspectionAlert" (
    "inspectionId" INTEGER NOT NULL,
    "stage" VARCHAR(10) NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "InspectionAlert_pkey" PRIMARY KEY ("inspectionId","stage")
);

-- CreateIndex
CREATE INDEX "InspectionFinding_inspectionId_idx" ON "InspectionFinding"("inspectionId");

-- CreateIndex
CREATE INDEX "InspectionFinding_closedAt_idx" ON "InspectionFinding"("closedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Inspection_code_key" ON "Inspection"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Inspection_kind_period_key" ON "Inspection"("kind", "period");

-- AddForeignKey
ALTER TABLE "InspectionFinding" ADD CONSTRAINT "InspectionFinding_inspectionId_fkey" FOREIGN KEY ("inspectionId") REFERENCES "Inspection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InspectionAlert" ADD CONSTRAINT "InspectionAlert_inspectionId_fkey" FOREIGN KEY ("inspectionId") REFERENCES "Inspection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
