/**
 * What a report's compiler writes (STAT-15, STAT-16, STAT-17): a month's report carries a text explanation
 * — the main indicators, what caused them, their effect; a quarter's or a year's an analysis
 * in four parts: the main indicators, the causes, plan completion and suggestions. One zod
 * schema per shape; the form shows the errors beside its fields.
 */
import { z } from 'zod';
import { type FormValidation, requiredText, validateForm } from '../form-input.js';
import type { ReportPeriod } from './report-periods.js';

export const EXPLANATION_FIELDS = ['text', 'indicators', 'causes', 'completion', 'suggestions'] as const;
export type ExplanationField = (typeof EXPLANATION_FIELDS)[number];

/** The fields a report of this period carries, in the order the form and the report show them. */
export function explanationFields(period: ReportPeriod): ExplanationField[] {
  return period === 'month' ? ['text'] : ['indicators', 'causes', 'completion', 'suggestions'];
}

const MonthlySchema = z.object({ text: requiredText(3000) });
const AnalysisSchema = z.object({
  indicators: requiredText(1500),
  causes: requiredText(1500),
  completion: requiredText(1500),
  suggestions: requiredText(1500),
});

export type ReportExplanation = Partial<Record<ExplanationField, string>>;

export function validateExplanation(
  period: ReportPeriod,
  raw: Partial<Record<ExplanationField, string>>,
): FormValidation<ReportExplanation, ExplanationField> {
  return period === 'month'
    ? validateForm(MonthlySchema, EXPLANATION_FIELDS, raw as z.input<typeof MonthlySchema>)
    : validateForm(AnalysisSchema, EXPLANATION_FIELDS, raw as z.input<typeof AnalysisSchema>);
}
