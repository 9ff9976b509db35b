-- CreateTable
CREATE TABLE "SalesTarget" (
    "departmentId" INTEGER NOT NULL,
    "scope" VARCHAR(3) NOT NULL,
    "month" CHAR(7) NOT NULL,
    "amount" DECIMAL(16,2) NOT NULL,
    "importedBy" VARCHAR(32) NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SalesTarget_pkey" PRIMARY KEY ("departmentId","scope","month")
);

-- AddForeignKey
ALTER TABLE "SalesTarget" ADD CONSTRAINT "SalesTarget_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
