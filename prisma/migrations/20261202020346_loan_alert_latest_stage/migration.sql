-- One row per loan: the latest stage told. Keep each loan's latest (stages are ordered).
DELETE FROM "LoanAlert" earlier
 USING "LoanAlert" later
 WHERE earlier."loanId" = later."loanId" AND earlier.stage < later.stage;

-- DropForeignKey (loans are never deleted; the check cost a third of a full sweep)
ALTER TABLE "LoanAlert" DROP CONSTRAINT "LoanAlert_loanId_fkey";

-- AlterTable
ALTER TABLE "LoanAlert" DROP CONSTRAINT "LoanAlert_pkey",
ADD CONSTRAINT "LoanAlert_pkey" PRIMARY KEY ("loanId");
