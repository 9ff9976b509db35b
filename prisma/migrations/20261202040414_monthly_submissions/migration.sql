-- CreateTable
CREATE TABLE "SubmissionRule" (
    "id" SERIAL NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "material" "DocumentType" NOT NULL,
    "responsibleId" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SubmissionRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Submission" (
    "id" SERIAL NOT NULL,
    "departmentId" INTEGER NOT NULL,
    "month" CHAR(7) NOT NULL,
    "material" "DocumentType" NOT NULL,
    "dueOn" DATE NOT NULL,
    "receivedAt" TIMESTAMPTZ(3),
    "receivedBy" VARCHAR(32),
    "late" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Submission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubmissionNotice" (
    "departmentId" INTEGER NOT NULL,
    "month" CHAR(7) NOT NULL,
    "stage" VARCHAR(10) NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SubmissionNotice_pkey" PRIMARY KEY ("departmentId","month","stage")
);

-- CreateIndex
CREATE UNIQUE INDEX "SubmissionRule_departmentId_material_key" ON "SubmissionRule"("departmentId", "material");

-- CreateIndex
CREATE INDEX "Submission_month_idx" ON "Submission"("month");

-- CreateIndex
CREATE UNIQUE INDEX "Submission_departmentId_month_material_key" ON "Submission"("departmentId", "month", "material");

-- AddForeignKey
ALTER TABLE "SubmissionRule" ADD CONSTRAINT "SubmissionRule_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubmissionRule" ADD CONSTRAINT "SubmissionRule_responsibleId_fkey" FOREIGN KEY ("responsibleId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_departmentId_fkey" FOREIGN KEY ("departmentId") REFERENCES "Department"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
