import type { GatorAssertion, GatorCaseVerdict } from "./gator-types.js";

function judgeAssertion(a: GatorAssertion, violations: readonly { msg: string }[]): string | undefined {
  const re = a.message !== undefined ? new RegExp(a.message) : undefined;
  const matching = violations.filter((v) => re === undefined || re.test(v.msg)).length;
  const containing = a.message !== undefined ? ` containing ${JSON.stringify(a.message)}` : "";
  const got = `got ${matching} violations${containing}`;
  const messages = `; got messages [${violations.map((v) => v.msg).join(" ")}]`;
  if (typeof a.violations === "number") {
    return matching === a.violations ? undefined : `${got} but want exactly ${a.violations}${messages}`;
  }
  if (a.violations === "yes") return matching > 0 ? undefined : `${got} but want at least 1${messages}`;
  return matching === 0 ? undefined : `${got} but want none${messages}`;
}

/**
 * Judges a case as gator verify does: every assertion must hold. An assertion counts the violations whose message
 * matches its regex (all when no regex) and wants at least one ("yes"), none ("no") or exactly N.
 */
export function judgeGatorCase(assertions: readonly GatorAssertion[], violations: readonly { msg: string }[]): GatorCaseVerdict {
  if (assertions.length === 0) return { passed: false, failures: ["assertions must be non-empty"] };
  const failures: string[] = [];
  for (const a of assertions) {
    const f = judgeAssertion(a, violations);
    if (f !== undefined) failures.push(f);
  }
  return { passed: failures.length === 0, failures };
}
