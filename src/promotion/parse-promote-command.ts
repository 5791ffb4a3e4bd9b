/** `/promote` comment commands: only the first line counts, and only when the comment starts with the command. */

export type PromoteCommand =
  | { kind: "promote"; target: string; component: string | null }
  | { kind: "status" }
  | { kind: "help"; reason: string }
  /** The comment is not a `/promote` command at all. */
  | { kind: "none" };

export const PROMOTE_HELP = [
  "Usage:",
  "- `/promote <environment|environment/wave|cluster> [component]`: open the promotion into that target (every component when none is named).",
  "- `/promote status`: show the promotions of this change and their gates.",
].join("\n");

const NAME = /^[a-z0-9]([-a-z0-9./]*[a-z0-9])?$/;

export function parsePromoteCommand(comment: string): PromoteCommand {
  const first = (comment.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "").trim();
  const words = first.split(/\s+/).filter((w) => w !== "");
  if (words[0] !== "/promote") return { kind: "none" };
  const args = words.slice(1);
  if (args.length === 0) return { kind: "help", reason: "`/promote` needs a target" };
  if (args[0] === "status") return args.length === 1 ? { kind: "status" } : { kind: "help", reason: "`/promote status` takes no arguments" };
  if (args[0] === "help") return { kind: "help", reason: "help requested" };
  if (args.length > 2) return { kind: "help", reason: `too many arguments: ${args.slice(2).join(" ")}` };
  const [target, component] = args;
  if (target === undefined || !NAME.test(target) || target.includes("//")) return { kind: "help", reason: `"${target ?? ""}" is not an environment, wave or cluster name` };
  if (component !== undefined && (!NAME.test(component) || component.includes(".."))) return { kind: "help", reason: `"${component}" is not a component name` };
  return { kind: "promote", target, component: component ?? null };
}
