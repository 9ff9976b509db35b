-- Indexed search (/kh find). pg_trgm ships in PostgreSQL's contrib (the embedded server's
-- package includes it) and is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The search text no longer holds the name, which is matched by its key and its pieces
-- (below): it began with the name key and '|'.
UPDATE "CustomerSearch" SET "searchText" = substr("searchText", char_length("nameKey") + 2)
  WHERE left("searchText", char_length("nameKey") + 1) = "nameKey" || '|';

-- CreateTable
CREATE TABLE "CustomerSearchGram" (
    "gram" VARCHAR(3) NOT NULL,
    "customerId" INTEGER NOT NULL,

    CONSTRAINT "CustomerSearchGram_pkey" PRIMARY KEY ("gram","customerId")
);

-- CreateIndex
CREATE INDEX "CustomerSearchGram_customerId_idx" ON "CustomerSearchGram"("customerId");

-- CreateIndex
CREATE INDEX "CustomerSearch_searchText_trgm" ON "CustomerSearch" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "CustomerSearch_nameKey_idx" ON "CustomerSearch"("nameKey");

-- CreateIndex
CREATE INDEX "CustomerSearch_code_idx" ON "CustomerSearch"("code");

-- The one- and two-character pieces of a name key: its first character and pair marked as its
-- start ('^'), every other character and pair as it is. The application writes them with each
-- search row (search-text.ts, in the same transaction; search-grams.ts cuts names the same
-- way, and a test checks the two agree). This function fills the table for the customers
-- that exist when the migration runs.
CREATE FUNCTION customer_name_grams(name_key text) RETURNS SETOF varchar(3)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT DISTINCT piece::varchar(3) FROM (
    SELECT substr(name_key, i, 1) AS piece FROM generate_series(2, char_length(name_key)) AS i
    UNION ALL
    SELECT substr(name_key, i, 2) FROM generate_series(2, char_length(name_key) - 1) AS i
    UNION ALL
    SELECT '^' || substr(name_key, 1, 1) WHERE char_length(name_key) > 0
    UNION ALL
    SELECT '^' || substr(name_key, 1, 2) WHERE char_length(name_key) > 1
  ) AS pieces
$$;

-- Existing customers.
INSERT INTO "CustomerSearchGram" (gram, "customerId")
  SELECT g, s."customerId" FROM "CustomerSearch" AS s, customer_name_grams(s."nameKey") AS g;
