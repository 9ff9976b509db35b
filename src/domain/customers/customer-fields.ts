/**
 * The standardized customer record (INFO-4): one field list for everyone, grouped as the
 * regulations group them. The modal, the card, validation and field history all read it.
 */
import type { CustomerKind, SpecialCategory } from '../../generated/prisma/client.js';
import type { SecrecyLevel } from '../access/visibility.js';

export type { CustomerKind, SpecialCategory };

export const CUSTOMER_KINDS: readonly CustomerKind[] = ['dealer', 'individual', 'special'];
export const SPECIAL_CATEGORIES: readonly SpecialCategory[] = [
  'lawyer',
  'financial_adviser',
  'advertising',
  'public_relations',
  'bank',
  'insurance',
  'financing_agency',
];

export type FieldGroup = 'identity' | 'basic' | 'db4' | 'db5' | 'db6' | 'db7' | 'region' | 'secrecy';

export type FieldType =
  | 'text'
  | 'longText'
  | 'phone'
  | 'postalCode'
  | 'creditCode'
  | 'decimal'
  | 'integer'
  | 'date'
  | 'kind'
  | 'specialCategory'
  | 'secrecyLevel'
  | 'secrecyUntil'
  | 'owner';

export interface FieldSpec {
  name: CustomerFieldName;
  type: FieldType;
  group: FieldGroup;
  required: boolean;
  maxLength?: number;
}

const text = (name: CustomerFieldName, group: FieldGroup, maxLength: number, required = false): FieldSpec => ({
  name,
  type: maxLength > 120 ? 'longText' : 'text',
  group,
  required,
  maxLength,
});

export const CUSTOMER_FIELD_NAMES = [
  'name',
  'kind',
  'specialCategory',
  'creditCode',
  'legalRepresentative',
  'address',
  'postalCode',
  'phone',
  'fax',
  'registeredCapital',
  'businessScale',
  'businessScope',
  'economicStrength',
  'mainDealings',
  'owners',
  'managers',
  'qualifications',
  'foundedOn',
  'tradeStartedOn',
  'industry',
  'assets',
  'serviceArea',
  'salesCapacity',
  'potential',
  'culture',
  'policies',
  'staffCount',
  'managementStyle',
  'salesPerformance',
  'staffQuality',
  'competitorRelations',
  'attitude',
  'salesActivity',
  'problems',
  'strengths',
  'plans',
  'reputation',
  'creditStatus',
  'tradeTerms',
  'pastCreditProblems',
  'region',
  'routeOrder',
  'ownerSlackUserId',
  'secrecyLevel',
  'secrecyUntil',
] as const;

export type CustomerFieldName = (typeof CUSTOMER_FIELD_NAMES)[number];

export const CUSTOMER_FIELDS: readonly FieldSpec[] = [
  // INFO-3, identity
  { name: 'name', type: 'text', group: 'identity', required: true, maxLength: 120 },
  { name: 'kind', type: 'kind', group: 'identity', required: true },
  { name: 'specialCategory', type: 'specialCategory', group: 'identity', required: false },
  { name: 'creditCode', type: 'creditCode', group: 'identity', required: false, maxLength: 18 },
  // ARCH-8 basic information
  text('legalRepresentative', 'basic', 60, true),
  text('address', 'basic', 200, true),
  { name: 'postalCode', type: 'postalCode', group: 'basic', required: true, maxLength: 6 },
  { name: 'phone', type: 'phone', group: 'basic', required: true, maxLength: 30 },
  { name: 'fax', type: 'phone', group: 'basic', required: false, maxLength: 30 },
  { name: 'registeredCapital', type: 'decimal', group: 'basic', required: false },
  text('businessScale', 'basic', 500),
  text('businessScope', 'basic', 500),
  text('economicStrength', 'basic', 500),
  text('mainDealings', 'basic', 1000),
  // DB-4 basic data
  text('owners', 'db4', 500),
  text('managers', 'db4', 500),
  text('qualifications', 'db4', 500),
  { name: 'foundedOn', type: 'date', group: 'db4', required: false },
  { name: 'tradeStartedOn', type: 'date', group: 'db4', required: false },
  text('industry', 'db4', 100),
  text('assets', 'db4', 500),
  // DB-5 characteristics
  text('serviceArea', 'db5', 500),
  text('salesCapacity', 'db5', 500),
  text('potential', 'db5', 500),
  text('culture', 'db5', 500),
  text('policies', 'db5', 500),
  { name: 'staffCount', type: 'integer', group: 'db5', required: false },
  text('managementStyle', 'db5', 500),
  // DB-6 business status
  text('salesPerformance', 'db6', 1000),
  text('staffQuality', 'db6', 500),
  text('competitorRelations', 'db6', 500),
  text('attitude', 'db6', 500),
  // DB-7 trading status
  text('salesActivity', 'db7', 1000),
  text('problems', 'db7', 1000),
  text('strengths', 'db7', 1000),
  text('plans', 'db7', 1000),
  text('reputation', 'db7', 500),
  text('creditStatus', 'db7', 500),
  text('tradeTerms', 'db7', 500),
  text('pastCreditProblems', 'db7', 1000),
  // DB-9 region and route order
  text('region', 'region', 60),
  { name: 'routeOrder', type: 'integer', group: 'region', required: false },
  { name: 'ownerSlackUserId', type: 'owner', group: 'region', required: false },
  // SEC-5, SEC-6, SEC-7
  { name: 'secrecyLevel', type: 'secrecyLevel', group: 'secrecy', required: true },
  { name: 'secrecyUntil', type: 'secrecyUntil', group: 'secrecy', required: false },
];

/** SEC-6: customers with ordinary business with the company are 秘密 (restricted). */
export const DEFAULT_SECRECY_LEVEL: SecrecyLevel = 'restricted';
