/**
 * Actions a call needs beyond its own: services that read or write Amazon S3 with the caller's
 * permissions when the request names an S3 location, and calls that pass a role to a service
 * (`iam:PassRole`). The code analysis does not read request parameters, so these are what the call
 * *may* need: they are kept by every narrowing fix and never called unused, and never reported as
 * "called but not granted" (a request may send bytes instead of an S3 location, or pass no role).
 *
 * Sources (facts only): the AWS Service Authorization Reference ("Dependent actions" column) and
 * each service's developer guide —
 * - Amazon Rekognition, "Working with images" / "Identity-based policy examples": operations that take
 *   `Image.S3Object` read it with the caller's permissions (s3:GetObject);
 * - Amazon Textract, "Calling Amazon Textract synchronous/asynchronous operations": documents in S3 are
 *   read with the caller's permissions; asynchronous `OutputConfig` writes with them;
 * - Amazon Transcribe, "Identity-based policy examples": the caller needs s3:GetObject on
 *   `Media.MediaFileUri` and s3:PutObject on `OutputBucketName` (without a DataAccessRoleArn);
 * - Amazon Polly, "StartSpeechSynthesisTask": the output is written to `OutputS3BucketName` with the
 *   caller's permissions;
 * - Amazon ECS RunTask/StartTask, EventBridge Scheduler CreateSchedule/UpdateSchedule, AWS Elemental
 *   MediaConvert CreateJob, Lambda CreateFunction/UpdateFunctionConfiguration, CloudFormation
 *   stack operations with RoleARN, EC2 RunInstances with an instance profile, EventBridge PutTargets
 *   with RoleArn, SageMaker training/processing jobs, Glue CreateJob: iam:PassRole for the role
 *   the request names.
 */
import type { CallSite } from './calls';
import type { PlatformAction } from './platform';

const S3_READ = ['s3:GetObject'];
const S3_READ_WRITE = ['s3:GetObject', 's3:PutObject'];
const PASS_ROLE = ['iam:PassRole'];

/** Called action (lower case) → what it may also need, and why. */
const DEPENDENT: ReadonlyMap<string, { readonly actions: readonly string[]; readonly reason: string }> = new Map(
  [
    ...[
      'rekognition:DetectLabels', 'rekognition:DetectFaces', 'rekognition:DetectText', 'rekognition:DetectModerationLabels',
      'rekognition:DetectProtectiveEquipment', 'rekognition:DetectCustomLabels', 'rekognition:CompareFaces',
      'rekognition:IndexFaces', 'rekognition:SearchFacesByImage', 'rekognition:RecognizeCelebrities',
    ].map((action) => [action, { actions: S3_READ, reason: `${action} reads an S3 image named in the request with the caller's permissions` }] as const),
    ...['textract:AnalyzeDocument', 'textract:DetectDocumentText', 'textract:AnalyzeExpense', 'textract:AnalyzeID'].map(
      (action) => [action, { actions: S3_READ, reason: `${action} reads an S3 document named in the request with the caller's permissions` }] as const,
    ),
    ...['textract:StartDocumentAnalysis', 'textract:StartDocumentTextDetection', 'textract:StartExpenseAnalysis', 'textract:StartLendingAnalysis'].map(
      (action) => [action, { actions: S3_READ_WRITE, reason: `${action} reads the S3 document and writes OutputConfig with the caller's permissions` }] as const,
    ),
    ...['transcribe:StartTranscriptionJob', 'transcribe:StartMedicalTranscriptionJob', 'transcribe:StartCallAnalyticsJob'].map(
      (action) => [action, { actions: S3_READ_WRITE, reason: `${action} reads the media file and writes OutputBucketName with the caller's permissions` }] as const,
    ),
    ['polly:StartSpeechSynthesisTask', { actions: ['s3:PutObject'], reason: "polly:StartSpeechSynthesisTask writes to OutputS3BucketName with the caller's permissions" }] as const,
    ...[
      'ecs:RunTask', 'ecs:StartTask', 'scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'mediaconvert:CreateJob',
      'lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration', 'cloudformation:CreateStack', 'cloudformation:UpdateStack',
      'ec2:RunInstances', 'events:PutTargets', 'sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'glue:CreateJob',
    ].map((action) => [action, { actions: PASS_ROLE, reason: `${action} passes the role named in the request` }] as const),
  ].map(([action, spec]) => [action.toLowerCase(), spec]),
);

/**
 * What the calls of a function may need beyond their own actions (see the module comment), and what
 * the libraries they go through may call of their own (`CallSite.dependent`: PynamoDB before 6.0).
 */
export function dependentActions(usedActions: readonly string[], calls: readonly CallSite[] = []): PlatformAction[] {
  const out = new Map<string, PlatformAction>();
  const used = new Set(usedActions.map((a) => a.toLowerCase()));
  for (const call of calls) {
    for (const action of call.dependent?.actions ?? []) if (!used.has(action.toLowerCase()) && !out.has(action)) out.set(action, { action, reason: call.dependent!.reason, dependent: true });
  }
  for (const used of usedActions) {
    const spec = DEPENDENT.get(used.toLowerCase());
    if (!spec) continue;
    for (const action of spec.actions) if (!out.has(action)) out.set(action, { action, reason: spec.reason, dependent: true });
  }
  return [...out.values()];
}
