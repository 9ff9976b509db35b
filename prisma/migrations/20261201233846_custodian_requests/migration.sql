-- AlterEnum
ALTER TYPE "RequestKind" ADD VALUE 'custodian';

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "targetPersonId" INTEGER;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_targetPersonId_fkey" FOREIGN KEY ("targetPersonId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;
