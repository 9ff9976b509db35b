-- CreateEnum
CREATE TYPE "DestructionState" AS ENUM ('proposed', 'approved', 'destroyed', 'rejected');

-- AlterEnum
ALTER TYPE "RequestKind" ADD VALUE 'destruction';

-- AlterEnum
ALTER TYPE "VolumeState" ADD VALUE 'destroyed';

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "destructionId" INTEGER;

-- CreateTable
CREATE TABLE "DestructionBatch" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "state" "DestructionState" NOT NULL DEFAULT 'proposed',
    "departmentId" INTEGER NOT NULL,
    "proposedBy" VARCHAR(32) NOT NULL,
    "proposedAt" TIMESTAMPTZ(3) NOT NULL,
    "approvedAt" TIMESTAMPTZ(3),
    "holdUntil" DATE,
    "place" VARCHAR(200),
    "supervisor" VARCHAR(32),
    "destroyedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DestructionBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DestructionItem" (
    "id" SERIAL NOT NULL,
    "batchId" INTEGER NOT NULL,
    "volumeId" INTEGER NOT NULL,
    "volumeCode" VARCHAR(20) NOT NULL,
    "customerCode" VARCHAR(20) NOT NULL,
    "year" INTEGER NOT NULL,
    "retention" "RetentionClass" NOT NULL,
    "secrecyLevel" "SecrecyLevel" NOT NULL,
    "documents" INTEGER NOT NULL,
    "pages" INTEGER NOT NULL,

    CONSTRAINT "DestructionItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DestructionBatch_code_key" ON "DestructionBatch"("code");

-- CreateIndex
CREATE INDEX "DestructionItem_batchId_idx" ON "DestructionItem"("batchId");

-- CreateIndex
CREATE INDEX "DestructionItem_volumeId_idx" ON "DestructionItem"("volumeId");

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_destructionId_fkey" FOREIGN KEY ("destructionId") REFERENCES "DestructionBatch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DestructionBatch" ADD CONSTRAINT "DestructionBatch_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DestructionItem" ADD CONSTRAINT "DestructionItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "DestructionBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DestructionItem" ADD CONSTRAINT "DestructionItem_volumeId_fkey" FOREIGN KEY ("volumeId") REFERENCES "Volume"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
