-- CreateTable
CREATE TABLE "RoleProposal" (
    "id" SERIAL NOT NULL,
    "targetId" INTEGER NOT NULL,
    "role" "Role" NOT NULL,
    "department" VARCHAR(100),
    "proposedBy" VARCHAR(32) NOT NULL,
    "proposedAt" TIMESTAMPTZ(3) NOT NULL,
    "confirmedBy" VARCHAR(32),
    "confirmedAt" TIMESTAMPTZ(3),

    CONSTRAINT "RoleProposal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoleProposal_targetId_role_idx" ON "RoleProposal"("targetId", "role");
