-- SEC-3: the search tells rows the searcher may read from rows they may only request, which
-- depends on the owner. Existing rows take their customer's owner.
ALTER TABLE "CustomerSearch" ADD COLUMN "ownerId" INTEGER;
UPDATE "CustomerSearch" s SET "ownerId" = c."ownerId" FROM "Customer" c WHERE c.id = s."customerId";
ALTER TABLE "CustomerSearch" ALTER COLUMN "ownerId" SET NOT NULL;
