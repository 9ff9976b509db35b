-- CreateTable
CREATE TABLE "CustomerMatter" (
    "id" SERIAL NOT NULL,
    "customerId" INTEGER NOT NULL,
    "department" VARCHAR(60),
    "reportedBy" VARCHAR(32) NOT NULL,
    "occurredOn" DATE NOT NULL,
    "text" VARCHAR(1000) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerMatter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CustomerMatter_customerId_occurredOn_idx" ON "CustomerMatter"("customerId", "occurredOn");

-- AddForeignKey
ALTER TABLE "CustomerMatter" ADD CONSTRAINT "CustomerMatter_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
