-- CreateEnum
CREATE TYPE "Role" AS ENUM ('sales', 'service', 'archivist', 'supervisor', 'service_manager', 'director', 'general_manager', 'deputy_gm', 'dept_head', 'finance', 'it_security', 'admin');

-- CreateEnum
CREATE TYPE "SecrecyLevel" AS ENUM ('unclassified', 'restricted', 'confidential', 'top_secret');

-- CreateEnum
CREATE TYPE "CustomerKind" AS ENUM ('dealer', 'individual', 'special');

-- CreateEnum
CREATE TYPE "SpecialCategory" AS ENUM ('lawyer', 'financial_adviser', 'advertising', 'public_relations', 'bank', 'insurance', 'financing_agency');

-- CreateEnum
CREATE TYPE "Locale" AS ENUM ('zh_CN', 'en');

-- CreateTable
CREATE TABLE "Department" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Department_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" SERIAL NOT NULL,
    "slackUserId" VARCHAR(32) NOT NULL,
    "displayName" VARCHAR(120),
    "roles" "Role"[] DEFAULT ARRAY[]::"Role"[],
    "departmentId" INTEGER,
    "locale" "Locale",
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CodeCounter" (
    "scope" VARCHAR(40) NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "CodeCounter_pkey" PRIMARY KEY ("scope")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "nameKey" VARCHAR(120) NOT NULL,
    "kind" "CustomerKind" NOT NULL,
    "specialCategory" "SpecialCategory",
    "creditCode" VARCHAR(18),
    "legalRepresentative" VARCHAR(60) NOT NULL,
    "address" VARCHAR(200) NOT NULL,
    "postalCode" VARCHAR(6) NOT NULL,
    "phone" VARCHAR(30) NOT NULL,
    "fax" VARCHAR(30),
    "registeredCapital" DECIMAL(14,2),
    "businessScale" VARCHAR(500),
    "businessScope" VARCHAR(500),
    "economicStrength" VARCHAR(500),
    "mainDealings" VARCHAR(1000),
    "owners" VARCHAR(500),
    "managers" VARCHAR(500),
    "qualifications" VARCHAR(500),
    "foundedOn" DATE,
    "tradeStartedOn" DATE,
    "industry" VARCHAR(100),
    "assets" VARCHAR(500),
    "serviceArea" VARCHAR(500),
    "salesCapacity" VARCHAR(500),
    "potential" VARCHAR(500),
    "culture" VARCHAR(500),
    "policies" VARCHAR(500),
    "staffCount" INTEGER,
    "managementStyle" VARCHAR(500),
    "salesPerformance" VARCHAR(1000),
    "staffQuality" VARCHAR(500),
    "competitorRelations" VARCHAR(500),
    "attitude" VARCHAR(500),
    "salesActivity" VARCHAR(1000),
    "problems" VARCHAR(1000),
    "strengths" VARCHAR(1000),
    "plans" VARCHAR(1000),
    "reputation" VARCHAR(500),
    "creditStatus" VARCHAR(500),
    "tradeTerms" VARCHAR(500),
    "pastCreditProblems" VARCHAR(1000),
    "region" VARCHAR(60),
    "routeOrder" INTEGER,
    "secrecyLevel" "SecrecyLevel" NOT NULL,
    "secrecyUntil" TIMESTAMPTZ(3),
    "searchText" TEXT NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "createdById" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerChange" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "field" VARCHAR(40) NOT NULL,
    "oldValue" TEXT,
    "newValue" TEXT,
    "changedById" INTEGER NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" VARCHAR(32) NOT NULL,
    "action" VARCHAR(60) NOT NULL,
    "subjectType" VARCHAR(30) NOT NULL,
    "subjectId" VARCHAR(60),
    "details" JSONB NOT NULL,
    "prevHash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" SERIAL NOT NULL,
    "job" VARCHAR(40) NOT NULL,
    "firedAt" TIMESTAMPTZ(3) NOT NULL,
    "claimedBy" VARCHAR(120) NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "result" JSONB,

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Department_name_key" ON "Department"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Person_slackUserId_key" ON "Person"("slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_code_key" ON "Customer"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_nameKey_key" ON "Customer"("nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_creditCode_key" ON "Customer"("creditCode");

-- CreateIndex
CREATE INDEX "Customer_secrecyLevel_secrecyUntil_idx" ON "Customer"("secrecyLevel", "secrecyUntil");

-- CreateIndex
CREATE INDEX "Customer_ownerId_idx" ON "Customer"("ownerId");

-- CreateIndex
CREATE INDEX "CustomerChange_customerId_changedAt_idx" ON "CustomerChange"("customerId", "changedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectType_subjectId_at_idx" ON "AuditEvent"("subjectType", "subjectId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actor_at_idx" ON "AuditEvent"("actor", "at");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_firedAt_key" ON "JobRun"("job", "firedAt");

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerChange" ADD CONSTRAINT "CustomerChange_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerChange" ADD CONSTRAINT "CustomerChange_changedById_fkey" FOREIGN KEY ("changedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the audit trail is append-only (SEC-16). Neither the bot nor an operator
-- with SQL access can change or remove an event without `cli audit verify` noticing a
-- broken chain, and plain UPDATE/DELETE are refused outright.
CREATE FUNCTION "audit_event_refuse_change"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_refuse_change"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_refuse_change"();
