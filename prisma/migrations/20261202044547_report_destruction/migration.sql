-- AlterEnum
ALTER TYPE "ReportState" ADD VALUE 'destroyed';

-- AlterEnum
ALTER TYPE "RequestKind" ADD VALUE 'report_destruction';
