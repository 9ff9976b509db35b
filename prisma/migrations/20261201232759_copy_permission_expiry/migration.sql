-- AlterTable
ALTER TABLE "Permission" ADD COLUMN     "expiresAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Permission_personId_kind_customerId_idx" ON "Permission"("personId", "kind", "customerId");

-- Copy permissions approved before this change are valid for their request's days from approval.
UPDATE "Permission" p SET "expiresAt" = p."createdAt" + make_interval(days => r."grantDays")
FROM "Request" r WHERE r.id = p."requestId" AND p.kind = 'copy';
