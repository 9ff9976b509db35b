-- CreateEnum
CREATE TYPE "StepMode" AS ENUM ('any', 'all');

-- AlterTable
ALTER TABLE "ApprovalStep" ADD COLUMN     "mode" "StepMode" NOT NULL DEFAULT 'any';

-- CreateTable
CREATE TABLE "StepApproval" (
    "id" SERIAL NOT NULL,
    "stepId" INTEGER NOT NULL,
    "role" "Role" NOT NULL,
    "decidedBy" VARCHAR(32) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StepApproval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StepApproval_stepId_role_key" ON "StepApproval"("stepId", "role");

-- AddForeignKey
ALTER TABLE "StepApproval" ADD CONSTRAINT "StepApproval_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "ApprovalStep"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
