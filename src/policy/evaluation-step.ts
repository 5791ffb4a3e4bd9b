/**
 * Where a policy evaluation is. The evaluation code announces each step (a Rego test, a module set, a template, a
 * bundle entrypoint) before it starts it; the sandbox's worker records the latest one where its parent can read it,
 * so that a time or memory limit names the test or module that hit it. Without a recorder (the CLI, tests) a step
 * costs one call that does nothing.
 */

/** One step: what runs (`test data.main.test_x`, `template K8sRequiredLabels`), and the policy file and line. */
export interface EvaluationStep {
  what: string;
  file: string;
  line: number;
}

type StepRecorder = (what: string, file: string, line: number) => void;

let recorder: StepRecorder | undefined;

/** Sets (or clears) the recorder of this thread. */
export function setEvaluationStepRecorder(next: StepRecorder | undefined): void {
  recorder = next;
}

/** Announces the step about to start. */
export function enterEvaluationStep(what: string, file: string, line: number): void {
  if (recorder !== undefined) recorder(what, file, line);
}
