-- SEC-3: a grant covers the level it was approved at, and a request's chain the level it was
-- built for. Existing rows take their customer's current level (the best that is known).
ALTER TABLE "AccessGrant" ADD COLUMN "level" "SecrecyLevel";
UPDATE "AccessGrant" g SET "level" = c."secrecyLevel" FROM "Customer" c WHERE c.id = g."customerId";
ALTER TABLE "AccessGrant" ALTER COLUMN "level" SET NOT NULL;

ALTER TABLE "Request" ADD COLUMN "level" "SecrecyLevel";
UPDATE "Request" r SET "level" = c."secrecyLevel" FROM "Customer" c WHERE c.id = r."customerId";
ALTER TABLE "Request" ALTER COLUMN "level" SET NOT NULL;
