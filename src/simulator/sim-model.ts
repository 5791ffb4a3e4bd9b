/** Data model of the simulated GitHub: plain records the simulator mutates and renders into API objects. */
import type { KeyObject } from "node:crypto";

export type Permission = "admin" | "maintain" | "write" | "triage" | "read";

export interface SimUser {
  login: string;
  id: number;
  node_id: string;
  type: "User" | "Bot" | "Organization";
  name: string;
  email: string;
  site_admin: boolean;
}

export interface SimReaction {
  id: number;
  node_id: string;
  content: "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";
  user: SimUser;
  created_at: string;
}

export interface SimLabel {
  id: number;
  node_id: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface SimIssue {
  number: number;
  id: number;
  node_id: string;
  title: string;
  body: string | null;
  user: SimUser;
  state: "open" | "closed";
  state_reason: "completed" | "reopened" | "not_planned" | null;
  labels: string[];
  assignees: string[];
  locked: boolean;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: SimUser | null;
  reactions: SimReaction[];
  /** Set when this issue is the conversation of a pull request. */
  isPull: boolean;
}

export interface SimComment {
  id: number;
  node_id: string;
  issueNumber: number;
  body: string;
  user: SimUser;
  created_at: string;
  updated_at: string;
  reactions: SimReaction[];
  /** Installation id when the comment was made by an app. */
  viaAppId: number | null;
}

export interface SimPull {
  number: number;
  id: number;
  node_id: string;
  issue: SimIssue;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** Base tip recorded at the last update (rendered live while the PR is open). */
  baseSha: string;
  draft: boolean;
  merged: boolean;
  merged_at: string | null;
  merged_by: SimUser | null;
  merge_commit_sha: string | null;
  requested_reviewers: string[];
  requested_teams: string[];
  maintainer_can_modify: boolean;
}

export interface SimReview {
  id: number;
  node_id: string;
  pullNumber: number;
  user: SimUser;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "PENDING" | "DISMISSED";
  commit_id: string;
  submitted_at: string | null;
}

export interface SimAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number | null;
  end_column: number | null;
  annotation_level: "notice" | "warning" | "failure";
  title: string | null;
  message: string;
  raw_details: string | null;
}

export interface SimCheckRun {
  id: number;
  node_id: string;
  repoKey: string;
  appId: number;
  suiteId: number;
  name: string;
  head_sha: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: "action_required" | "cancelled" | "failure" | "neutral" | "success" | "skipped" | "stale" | "timed_out" | null;
  started_at: string | null;
  completed_at: string | null;
  external_id: string | null;
  details_url: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: SimAnnotation[];
  actions: Array<{ label: string; description: string; identifier: string }>;
}

export interface SimCheckSuite {
  id: number;
  node_id: string;
  repoKey: string;
  appId: number;
  head_sha: string;
  head_branch: string | null;
  before: string | null;
  after: string | null;
  status: "queued" | "in_progress" | "completed";
  conclusion: SimCheckRun["conclusion"];
  created_at: string;
  updated_at: string;
}

export interface SimStatus {
  id: number;
  node_id: string;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  target_url: string | null;
  creator: SimUser;
  created_at: string;
  updated_at: string;
}

export interface SimRepo {
  id: number;
  node_id: string;
  owner: SimUser;
  name: string;
  private: boolean;
  defaultBranch: string;
  description: string | null;
  created_at: string;
  updated_at: string;
  pushed_at: string;
  /** Full ref name (refs/heads/main) → commit sha. */
  refs: Map<string, string>;
  issues: Map<number, SimIssue>;
  pulls: Map<number, SimPull>;
  nextNumber: number;
  comments: SimComment[];
  labels: Map<string, SimLabel>;
  reviews: SimReview[];
  statuses: SimStatus[];
  collaborators: Map<string, Permission>;
}

export interface SimApp {
  id: number;
  node_id: string;
  slug: string;
  name: string;
  client_id: string;
  owner: SimUser;
  privateKey: string;
  publicKey: KeyObject;
  webhookSecret: string;
  /** The app's bot user, `<slug>[bot]`. */
  bot: SimUser;
  created_at: string;
}

export interface SimInstallation {
  id: number;
  appId: number;
  account: SimUser;
  repositorySelection: "all" | "selected";
  repoKeys: Set<string>;
  created_at: string;
}

export interface SimToken {
  token: string;
  installationId: number;
  expires_at: string;
  /** Repositories the token is limited to (undefined = all of the installation's). */
  repoKeys: Set<string> | undefined;
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}
