export * from "./gatekeeper-types.js";
export { gatekeeperDiagnostic } from "./gatekeeper-diagnostic.js";
export {
  parseConstraintTemplate,
  isConstraintTemplateDocument,
  type ParsedConstraintTemplate,
} from "./parse-constraint-template.js";
export {
  parseConstraint,
  parseMatch,
  isConstraintDocument,
  CONSTRAINTS_GROUP,
  DEFAULT_ENFORCEMENT_POINT,
  type ParseConstraintOptions,
  type ParsedConstraint,
} from "./parse-constraint.js";
export { validateParameters, type ParameterError, type ParameterValidation } from "./validate-parameters.js";
export { wildcardMatches } from "./wildcard-matches.js";
export { matchesLabelSelector, type SelectorOutcome } from "./matches-label-selector.js";
export {
  matchesConstraint,
  groupVersionKind,
  type MatchContext,
  type MatchCriterion,
  type MatchOutcome,
} from "./matches-constraint.js";
export { buildInventory, type Inventory } from "./build-inventory.js";
export {
  buildReview,
  buildGatekeeperInput,
  type AdmissionReviewRequest,
  type BuildReviewOptions,
  type ReviewOutcome,
} from "./build-review.js";
export {
  interpretViolations,
  type GatekeeperViolation,
  type InterpretedViolations,
  type ReviewedResource,
} from "./interpret-violations.js";
export { loadGatekeeperPolicies, type GatekeeperPolicySet } from "./load-gatekeeper-policies.js";
export {
  evaluateGatekeeper,
  type GatekeeperEvaluationRequest,
  type GatekeeperEvaluator,
  type GatekeeperRun,
} from "./evaluate-gatekeeper.js";
