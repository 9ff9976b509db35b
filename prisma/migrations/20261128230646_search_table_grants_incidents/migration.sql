-- CreateEnum
CREATE TYPE "IncidentCause" AS ENUM ('leak', 'possible_leak', 'damage', 'theft', 'loss', 'fire', 'other');

-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('reported', 'remedied', 'closed');

-- CreateEnum
CREATE TYPE "InspectionReason" AS ENUM ('scheduled', 'damage', 'theft', 'loss', 'fire', 'doubt');

-- CreateEnum
CREATE TYPE "InspectionStatus" AS ENUM ('open', 'done');

-- CreateTable
CREATE TABLE "CustomerSearch" (
    "customerId" INTEGER NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "nameKey" VARCHAR(120) NOT NULL,
    "searchText" TEXT NOT NULL,
    "secrecyLevel" "SecrecyLevel" NOT NULL,
    "secrecyUntil" TIMESTAMPTZ(3),

    CONSTRAINT "CustomerSearch_pkey" PRIMARY KEY ("customerId")
);

-- Hand-written: move the search text of existing customers into the narrow table before
-- the wide column goes.
INSERT INTO "CustomerSearch" ("customerId", "code", "nameKey", "searchText", "secrecyLevel", "secrecyUntil")
SELECT "id", "code", "nameKey", "searchText", "secrecyLevel", "secrecyUntil" FROM "Customer";

-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "searchText";

-- CreateTable
CREATE TABLE "AccessGrant" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "grantedById" INTEGER NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AccessGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerCustodian" (
    "customerId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "assignedById" INTEGER NOT NULL,
    "assignedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerCustodian_pkey" PRIMARY KEY ("customerId","personId")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" VARCHAR(60) NOT NULL,
    "value" VARCHAR(500) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedBy" VARCHAR(32) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "cause" "IncidentCause" NOT NULL,
    "description" VARCHAR(2000) NOT NULL,
    "howDiscovered" VARCHAR(2000) NOT NULL,
    "remedy" VARCHAR(2000) NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'reported',
    "periodFrom" TIMESTAMPTZ(3) NOT NULL,
    "periodTo" TIMESTAMPTZ(3) NOT NULL,
    "reportedById" INTEGER NOT NULL,
    "reportedAt" TIMESTAMPTZ(3) NOT NULL,
    "remediedBy" VARCHAR(32),
    "remediedAt" TIMESTAMPTZ(3),
    "closedBy" VARCHAR(32),
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IncidentCustomer" (
    "incidentId" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,

    CONSTRAINT "IncidentCustomer_pkey" PRIMARY KEY ("incidentId","customerId")
);

-- CreateTable
CREATE TABLE "Inspection" (
    "id" SERIAL NOT NULL,
    "reason" "InspectionReason" NOT NULL,
    "status" "InspectionStatus" NOT NULL DEFAULT 'open',
    "incidentId" INTEGER,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "notes" VARCHAR(2000),

    CONSTRAINT "Inspection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccessGrant_personId_expiresAt_idx" ON "AccessGrant"("personId", "expiresAt");

-- CreateIndex
CREATE INDEX "AccessGrant_customerId_idx" ON "AccessGrant"("customerId");

-- CreateIndex
CREATE INDEX "CustomerCustodian_personId_idx" ON "CustomerCustodian"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_code_key" ON "Incident"("code");

-- CreateIndex
CREATE INDEX "Incident_status_reportedAt_idx" ON "Incident"("status", "reportedAt");

-- CreateIndex
CREATE INDEX "Inspection_status_idx" ON "Inspection"("status");

-- AddForeignKey
ALTER TABLE "CustomerSearch" ADD CONSTRAINT "CustomerSearch_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerCustodian" ADD CONSTRAINT "CustomerCustodian_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerCustodian" ADD CONSTRAINT "CustomerCustodian_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerCustodian" ADD CONSTRAINT "CustomerCustodian_assignedById_fkey" FOREIGN KEY ("assignedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_reportedById_fkey" FOREIGN KEY ("reportedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentCustomer" ADD CONSTRAINT "IncidentCustomer_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentCustomer" ADD CONSTRAINT "IncidentCustomer_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Inspection" ADD CONSTRAINT "Inspection_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;
