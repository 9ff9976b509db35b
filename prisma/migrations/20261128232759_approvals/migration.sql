-- CreateEnum
CREATE TYPE "RequestKind" AS ENUM ('view', 'copy', 'provide');

-- CreateEnum
CREATE TYPE "RequestState" AS ENUM ('pending', 'approved', 'rejected', 'withdrawn');

-- CreateEnum
CREATE TYPE "StepState" AS ENUM ('waiting', 'open', 'approved', 'rejected', 'cancelled');

-- AlterTable
ALTER TABLE "AccessGrant" ADD COLUMN     "requestId" INTEGER;

-- CreateTable
CREATE TABLE "Request" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "kind" "RequestKind" NOT NULL,
    "customerId" INTEGER NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "departmentId" INTEGER,
    "purpose" VARCHAR(1000) NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "requesterProfile" VARCHAR(500) NOT NULL,
    "externalReference" VARCHAR(200),
    "recipient" VARCHAR(200),
    "grantDays" INTEGER NOT NULL DEFAULT 7,
    "state" "RequestState" NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),
    "threadChannel" VARCHAR(32),
    "threadTs" VARCHAR(32),

    CONSTRAINT "Request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalStep" (
    "id" SERIAL NOT NULL,
    "requestId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "roles" "Role"[],
    "state" "StepState" NOT NULL DEFAULT 'waiting',
    "openedAt" TIMESTAMPTZ(3),
    "decidedBy" VARCHAR(32),
    "decidedAt" TIMESTAMPTZ(3),
    "comment" VARCHAR(1000),
    "remindedAt" TIMESTAMPTZ(3),
    "escalatedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApprovalStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApprovalMessage" (
    "id" SERIAL NOT NULL,
    "stepId" INTEGER NOT NULL,
    "approverId" VARCHAR(32) NOT NULL,
    "channel" VARCHAR(32) NOT NULL,
    "ts" VARCHAR(32) NOT NULL,

    CONSTRAINT "ApprovalMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Permission" (
    "id" SERIAL NOT NULL,
    "requestId" INTEGER NOT NULL,
    "kind" "RequestKind" NOT NULL,
    "customerId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Permission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Request_code_key" ON "Request"("code");

-- CreateIndex
CREATE INDEX "Request_requesterId_state_idx" ON "Request"("requesterId", "state");

-- CreateIndex
CREATE INDEX "Request_customerId_kind_state_idx" ON "Request"("customerId", "kind", "state");

-- CreateIndex
CREATE INDEX "ApprovalStep_state_openedAt_idx" ON "ApprovalStep"("state", "openedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalStep_requestId_position_key" ON "ApprovalStep"("requestId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ApprovalMessage_stepId_approverId_key" ON "ApprovalMessage"("stepId", "approverId");

-- CreateIndex
CREATE UNIQUE INDEX "Permission_requestId_key" ON "Permission"("requestId");

-- CreateIndex
CREATE UNIQUE INDEX "AccessGrant_requestId_key" ON "AccessGrant"("requestId");

-- AddForeignKey
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalStep" ADD CONSTRAINT "ApprovalStep_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApprovalMessage" ADD CONSTRAINT "ApprovalMessage_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "ApprovalStep"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Permission" ADD CONSTRAINT "Permission_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
