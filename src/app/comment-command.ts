/** A comment command as the issue_comment handler hands it to every command runner. */
import type { Logger } from "pino";
import type { GitHubClient, RepoRef } from "./github/github-client.js";
import type { PromotionCoordination } from "./promotion/promotion-deps.js";
import type { ConfigStore } from "./repo-config.js";

export interface CommentCommand {
  gh: GitHubClient;
  where: RepoRef;
  /** The issue or pull request the comment is on. */
  number: number;
  isPullRequest: boolean;
  commentId: number;
  body: string;
  login: string;
  isBot: boolean;
  defaultBranch: string;
  log: Logger;
}

/** What every command runner may use besides the command. */
export interface CommentCommandDeps {
  store: ConfigStore;
  now: () => Date;
  /** The app's bot login (`<slug>[bot]`): only its pull requests and issues carry trusted metadata. */
  botLogin: () => Promise<string>;
  /** The app's coordinator: `/promote` executions hold the repository's promotion lock. */
  coordinator: PromotionCoordination;
}
