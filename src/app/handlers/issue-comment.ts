/**
 * issue_comment.created: comment commands. Edited comments and bots run nothing. The first word of the
 * first line picks the command from `COMMANDS`; an unknown `/word` gets the help text only when it is a typo of
 * a command or the comment mentions the app (`/cc @team` and other bots' commands are left alone, no 👀).
 */
import type { Probot } from "probot";
import { PROMOTE_HELP, echoArgument, parsePromoteCommand } from "../../promotion/parse-promote-command.js";
import { answerUnknownCommand } from "../command-suggestion.js";
import type { CommentCommand, CommentCommandDeps } from "../comment-command.js";
import { createComment, reactToComment } from "../github/comments.js";
import { runPromoteCommand, runRollbackCommand, runUnfreezeCommand } from "../lazy/comment-commands.js";

type CommandRunner = (command: CommentCommand, deps: CommentCommandDeps) => Promise<void>;

async function promote(c: CommentCommand, deps: CommentCommandDeps): Promise<void> {
  const command = parsePromoteCommand(c.body);
  if (command.kind === "none") return;
  await runPromoteCommand(c.gh, c.where, { command, number: c.number, login: c.login, isBot: c.isBot, defaultBranch: c.defaultBranch }, { ...deps, log: c.log });
}

/** Commands by their first word. `/rollback` and `/unfreeze` (SLO-driven rollback) plug in here. */
export const COMMANDS: Record<string, CommandRunner> = {
  "/promote": promote,
  "/rollback": runRollbackCommand,
  "/unfreeze": runUnfreezeCommand,
};

/** The help text for an unknown command. */
export const COMMANDS_HELP = [
  PROMOTE_HELP,
  "- `/rollback [environment|cluster]`: revert the change behind a firing alert (see the incident issue).",
  "- `/unfreeze`: close the incident and lift its freeze on promotions.",
].join("\n");

const COMMAND_WORD = /^\/[a-z][a-z0-9-]*$/;

export function registerIssueCommentHandlers(app: Probot, deps: CommentCommandDeps): void {
  app.on("issue_comment.created", async (context) => {
    const { comment, issue, repository, sender } = context.payload;
    const isBot = sender.type === "Bot" || sender.login.endsWith("[bot]") || comment.user?.type === "Bot";
    if (isBot) return;
    const word = (comment.body.replace(/^\uFEFF/, "").trimStart().split(/\s/, 1)[0] ?? "").toLowerCase();
    if (!COMMAND_WORD.test(word)) return;
    const where = { owner: repository.owner.login, repo: repository.name };
    const run = COMMANDS[word];
    if (!run) {
      const slug = (await deps.botLogin()).replace(/\[bot\]$/i, "");
      const unknown = answerUnknownCommand({ word, commands: Object.keys(COMMANDS), body: comment.body, appSlug: slug });
      if (!unknown.answer) return;
      await reactToComment(context.octokit, { ...where, commentId: comment.id, content: "eyes" });
      const hint = unknown.suggestion === null ? "" : ` Did you mean \`${unknown.suggestion}\`?`;
      await createComment(context.octokit, { ...where, number: issue.number, body: `Unknown command \`${echoArgument(word)}\`.${hint}\n\n${COMMANDS_HELP}` });
      return;
    }
    await reactToComment(context.octokit, { ...where, commentId: comment.id, content: "eyes" });
    await run(
      {
        gh: context.octokit,
        where,
        number: issue.number,
        isPullRequest: issue.pull_request !== undefined,
        commentId: comment.id,
        body: comment.body,
        login: sender.login,
        isBot,
        defaultBranch: repository.default_branch,
        log: context.log,
      },
      deps,
    );
  });
}
