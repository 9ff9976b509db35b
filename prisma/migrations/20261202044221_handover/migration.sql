-- CreateEnum
CREATE TYPE "HandoverState" AS ENUM ('open', 'done', 'cancelled');

-- CreateTable
CREATE TABLE "Handover" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "state" "HandoverState" NOT NULL DEFAULT 'open',
    "fromSlackUserId" VARCHAR(32) NOT NULL,
    "toSlackUserId" VARCHAR(32) NOT NULL,
    "materials" VARCHAR(2000) NOT NULL DEFAULT '',
    "createdBy" VARCHAR(32) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "fromConfirmedAt" TIMESTAMPTZ(3),
    "toConfirmedAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "moved" JSONB,

    CONSTRAINT "Handover_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Handover_code_key" ON "Handover"("code");
