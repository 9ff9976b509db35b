-- AlterTable
ALTER TABLE "Permission" ADD COLUMN     "level" "SecrecyLevel" NOT NULL DEFAULT 'top_secret';

-- Existing permissions cover the level their request was approved for.
UPDATE "Permission" p SET "level" = r."level" FROM "Request" r WHERE r.id = p."requestId";
