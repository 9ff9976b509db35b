-- SEC-3: a request for a code the requester cannot see is filed whether or not the code
-- exists; it keeps the code as asked, and the customer only when there is one.
ALTER TABLE "Request" DROP CONSTRAINT "Request_customerId_fkey";

ALTER TABLE "Request" ADD COLUMN "customerCode" VARCHAR(20);
UPDATE "Request" r SET "customerCode" = c.code FROM "Customer" c WHERE c.id = r."customerId";
ALTER TABLE "Request" ALTER COLUMN "customerCode" SET NOT NULL,
ALTER COLUMN "customerId" DROP NOT NULL;

ALTER TABLE "Request" ADD CONSTRAINT "Request_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;
