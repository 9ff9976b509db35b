-- CreateEnum
CREATE TYPE "Grade" AS ENUM ('A', 'B', 'C');

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "grade" "Grade",
ADD COLUMN     "gradedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "SalesImport" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "rows" INTEGER NOT NULL,
    "months" TEXT[],
    "importedBy" VARCHAR(32) NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SalesImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SalesFigure" (
    "customerId" INTEGER NOT NULL,
    "month" CHAR(7) NOT NULL,
    "amount" DECIMAL(16,2) NOT NULL,
    "importId" INTEGER NOT NULL,

    CONSTRAINT "SalesFigure_pkey" PRIMARY KEY ("customerId","month")
);

-- CreateTable
CREATE TABLE "SalesFigureChange" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER NOT NULL,
    "month" CHAR(7) NOT NULL,
    "oldAmount" DECIMAL(16,2) NOT NULL,
    "newAmount" DECIMAL(16,2) NOT NULL,
    "oldImportId" INTEGER NOT NULL,
    "newImportId" INTEGER NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SalesFigureChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GradeChange" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER NOT NULL,
    "from" "Grade",
    "to" "Grade" NOT NULL,
    "average" DECIMAL(16,2) NOT NULL,
    "fromMonth" CHAR(7) NOT NULL,
    "toMonth" CHAR(7) NOT NULL,
    "rank" INTEGER NOT NULL,
    "population" INTEGER NOT NULL,
    "reason" VARCHAR(300) NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL,
    "changedBy" VARCHAR(32) NOT NULL,

    CONSTRAINT "GradeChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SalesImport_code_key" ON "SalesImport"("code");

-- CreateIndex
CREATE INDEX "SalesFigure_month_idx" ON "SalesFigure"("month");

-- CreateIndex
CREATE INDEX "SalesFigureChange_customerId_month_idx" ON "SalesFigureChange"("customerId", "month");

-- CreateIndex
CREATE INDEX "GradeChange_customerId_changedAt_idx" ON "GradeChange"("customerId", "changedAt");

-- AddForeignKey
ALTER TABLE "SalesFigure" ADD CONSTRAINT "SalesFigure_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SalesFigure" ADD CONSTRAINT "SalesFigure_importId_fkey" FOREIGN KEY ("importId") REFERENCES "SalesImport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GradeChange" ADD CONSTRAINT "GradeChange_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
