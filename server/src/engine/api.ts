/**
 * The surface rules may import. Rules depend on this file only, never on the engine's
 * internals, so the engine can change shape without touching the catalogue.
 */
export { defineRule, CATEGORIES, SEVERITIES } from './rule';
export type { Category, Finding, Fix, FixApplicability, Related, Rule, RuleContext, RuleMeta, Severity, TextEdit } from './rule';
export * from './documents/node';
export type { DocumentKind, ParsedDocument } from './documents/parse';
export { SAM_TRANSFORM } from './documents/parse';
export type { Resource, Located, Parameter } from './model/template';
export type { Template } from './model/template';
export type { ServerlessApp, ServerlessFunction, ServerlessEvent } from './model/serverless';
export type { Policy, PolicyKind, PolicySource, PolicyStatement, ValueItem, ValueList } from './iam/policies';
export type { IamAction, AccessLevel } from './iam/data';
export { ACCESS_LEVELS } from './iam/data';
export type { IamData } from './iam/iam-data';
export { wildcardMatches } from './iam/iam-data';
export * as edits from './fixes/edits';
export { isGranted } from './code/grants';
export type { FunctionInsight } from './rule';
export { lambdaRuntime, newestRuntime, daysBetween, RUNTIMES_AS_OF, LAMBDA_RUNTIMES } from './data/lambda-runtimes';
export type { LambdaRuntime, RuntimeLanguage } from './data/lambda-runtimes';
export { detectSecret, describeSecret, isSecretLikeName, entropy } from './secrets/detect';
export type { SecretMatch } from './secrets/detect';
export { privilegedGrants, privilegedManagedGrants, summarizeActions } from './iam/privileged';
export type { PrivilegedGrants } from './iam/privileged';
export { policyAttachments, attachmentsOf, parsePolicyArn } from './iam/attachments';
export type { PolicyAttachment, ManagedPolicyAttachment, SamTemplateAttachment, AttachmentOwner } from './iam/attachments';
export type { ManagedPolicy, ManagedPolicyStatement } from './iam/managed-policies';
export type { SamPolicyTemplate } from './iam/sam-templates';
export { closestNames } from './iam/suggest';
export { narrowingChoices, countByLevel } from './iam/narrowing';
export type { Narrowing } from './iam/narrowing';
export { checkAction, supportsResourceLevel, VPC_INTERFACE_ACTIONS, AUTHORIZED_BY } from './iam/actions';
export type { ActionCheck } from './iam/actions';
export { customerManagedKey, isAwsManagedKey } from './model/kms';
export type { KmsKeyForm } from './model/kms';
export { arnsFor, resourcesUsedBy, referencedIds } from './iam/resource-arns';
export { ESCALATION_PATHS, escalationPaths, policiesByPrincipal, unrestrictedGrant, isUnrestrictedResource } from './iam/escalation';
export type { EscalationPath, UnrestrictedGrant, PrincipalPolicies } from './iam/escalation';
export { principalScope, conditionScope, RESTRICTING_CONDITION_KEYS } from './iam/principals';
export type { PrincipalScope } from './iam/principals';
export { environmentResources } from './code/environment';
export { arnMatchesFormat, formatToGlob, globsIntersect } from './iam/arn';
export { conditionOperator, operatorSpellings, keyAppliesToSome, conditionKeyMatches, CONDITION_OPERATORS } from './iam/conditions';
export { namedAwsManagedPolicies, oncePerWrittenPlace } from './iam/attachment-walk';
export type { NamedAwsManagedPolicy } from './iam/attachment-walk';
export { grantsMoreThanRead, sharedGrantsSeverity, describeSharedGrants, callsNoneOf, noneUsedBy } from './iam/shared-role';
export type { SharedGrants } from './iam/shared-role';
