-- CreateEnum
CREATE TYPE "DocumentType" AS ENUM ('basic_info', 'credit_evaluation', 'sales_contract', 'qualification_rating', 'sales_statistics', 'analysis_report');

-- CreateEnum
CREATE TYPE "DocumentForm" AS ENUM ('original', 'copy');

-- CreateEnum
CREATE TYPE "Carrier" AS ENUM ('paper', 'electronic', 'other');

-- CreateEnum
CREATE TYPE "RetentionClass" AS ENUM ('short_term', 'long_term', 'permanent');

-- CreateEnum
CREATE TYPE "DocumentNature" AS ENUM ('single', 'plan', 'summary', 'meeting');

-- CreateEnum
CREATE TYPE "DocumentRelation" AS ENUM ('reply', 'attachment', 'draft', 'version');

-- CreateEnum
CREATE TYPE "LocationKind" AS ENUM ('room', 'cabinet', 'shelf', 'box');

-- CreateEnum
CREATE TYPE "VolumeState" AS ENUM ('in_box', 'on_loan', 'held');

-- CreateEnum
CREATE TYPE "LoanState" AS ENUM ('approved', 'open', 'returned');

-- CreateEnum
CREATE TYPE "LoanAlertStage" AS ENUM ('due_tomorrow', 'overdue', 'escalated');

-- AlterEnum
ALTER TYPE "RequestKind" ADD VALUE 'loan';

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "loanCopies" INTEGER,
ADD COLUMN     "loanDays" INTEGER,
ADD COLUMN     "loanMaterial" VARCHAR(500),
ADD COLUMN     "volumeId" INTEGER;

-- CreateTable
CREATE TABLE "Location" (
    "id" SERIAL NOT NULL,
    "kind" "LocationKind" NOT NULL,
    "label" VARCHAR(40) NOT NULL,
    "parentId" INTEGER,
    "position" INTEGER NOT NULL,
    "path" VARCHAR(200) NOT NULL,
    "sortKey" VARCHAR(60) NOT NULL,
    "classified" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Location_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Volume" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "customerId" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "topSecret" BOOLEAN NOT NULL,
    "secrecyLevel" "SecrecyLevel" NOT NULL,
    "secrecyUntil" TIMESTAMPTZ(3),
    "retention" "RetentionClass" NOT NULL,
    "boxId" INTEGER NOT NULL,
    "state" "VolumeState" NOT NULL DEFAULT 'in_box',
    "remarks" VARCHAR(2000) NOT NULL DEFAULT '',
    "responsibleId" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Volume_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Document" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "customerId" INTEGER NOT NULL,
    "volumeId" INTEGER NOT NULL,
    "type" "DocumentType" NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "formedOn" DATE NOT NULL,
    "nature" "DocumentNature" NOT NULL DEFAULT 'single',
    "coversFrom" INTEGER,
    "coversTo" INTEGER,
    "filingYear" INTEGER NOT NULL,
    "copies" INTEGER NOT NULL,
    "pages" INTEGER NOT NULL,
    "form" "DocumentForm" NOT NULL,
    "language" VARCHAR(20) NOT NULL,
    "relatedId" INTEGER,
    "relation" "DocumentRelation",
    "carrier" "Carrier" NOT NULL,
    "secrecyLevel" "SecrecyLevel" NOT NULL,
    "secrecyUntil" TIMESTAMPTZ(3),
    "retention" "RetentionClass" NOT NULL,
    "position" INTEGER NOT NULL,
    "firstPage" INTEGER NOT NULL,
    "lastPage" INTEGER NOT NULL,
    "remarks" VARCHAR(500),
    "filedById" INTEGER NOT NULL,
    "filedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Loan" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "volumeId" INTEGER NOT NULL,
    "requestId" INTEGER NOT NULL,
    "borrowerId" INTEGER NOT NULL,
    "material" VARCHAR(500) NOT NULL,
    "copies" INTEGER NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "days" INTEGER NOT NULL,
    "state" "LoanState" NOT NULL DEFAULT 'approved',
    "approvedAt" TIMESTAMPTZ(3) NOT NULL,
    "outAt" TIMESTAMPTZ(3),
    "dueOn" DATE,
    "returnedAt" TIMESTAMPTZ(3),
    "returnedById" INTEGER,

    CONSTRAINT "Loan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoanAlert" (
    "loanId" INTEGER NOT NULL,
    "stage" "LoanAlertStage" NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LoanAlert_pkey" PRIMARY KEY ("loanId","stage")
);

-- CreateIndex
CREATE UNIQUE INDEX "Location_path_key" ON "Location"("path");

-- CreateIndex
CREATE INDEX "Location_sortKey_idx" ON "Location"("sortKey");

-- CreateIndex
CREATE UNIQUE INDEX "Location_parentId_label_key" ON "Location"("parentId", "label");

-- CreateIndex
CREATE UNIQUE INDEX "Volume_code_key" ON "Volume"("code");

-- CreateIndex
CREATE INDEX "Volume_boxId_idx" ON "Volume"("boxId");

-- CreateIndex
CREATE UNIQUE INDEX "Volume_customerId_year_topSecret_key" ON "Volume"("customerId", "year", "topSecret");

-- CreateIndex
CREATE UNIQUE INDEX "Document_code_key" ON "Document"("code");

-- CreateIndex
CREATE INDEX "Document_volumeId_position_idx" ON "Document"("volumeId", "position");

-- CreateIndex
CREATE INDEX "Document_customerId_idx" ON "Document"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Loan_code_key" ON "Loan"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Loan_requestId_key" ON "Loan"("requestId");

-- CreateIndex
CREATE INDEX "Loan_state_dueOn_idx" ON "Loan"("state", "dueOn");

-- CreateIndex
CREATE INDEX "Loan_borrowerId_state_idx" ON "Loan"("borrowerId", "state");

-- CreateIndex
CREATE INDEX "Loan_volumeId_state_idx" ON "Loan"("volumeId", "state");

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "Volume"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Location" ADD CONSTRAINT "Location_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Location"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Volume" ADD CONSTRAINT "Volume_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Volume" ADD CONSTRAINT "Volume_boxId_fkey" FOREIGN KEY ("boxId") REFERENCES "Location"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Volume" ADD CONSTRAINT "Volume_responsibleId_fkey" FOREIGN KEY ("responsibleId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "Volume"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_relatedId_fkey" FOREIGN KEY ("relatedId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_filedById_fkey" FOREIGN KEY ("filedById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Loan" ADD CONSTRAINT "Loan_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "Volume"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Loan" ADD CONSTRAINT "Loan_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Loan" ADD CONSTRAINT "Loan_borrowerId_fkey" FOREIGN KEY ("borrowerId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Loan" ADD CONSTRAINT "Loan_returnedById_fkey" FOREIGN KEY ("returnedById") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoanAlert" ADD CONSTRAINT "LoanAlert_loanId_fkey" FOREIGN KEY ("loanId") REFERENCES "Loan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
