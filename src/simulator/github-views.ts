/** Renders simulator records as the JSON objects GitHub's REST API returns (shapes from GitHub's OpenAPI description). */
import type { components } from "@octokit/openapi-types";
import type { GitStore, CommitObject, FileDiff } from "./git-store.js";
import type { SimAnnotation, SimApp, SimCheckRun, SimCheckSuite, SimComment, SimInstallation, SimIssue, SimLabel, SimPull, SimReaction, SimRepo, SimReview, SimStatus, SimUser } from "./sim-model.js";

type S = components["schemas"];

export const API = "https://api.github.com";
export const WEB = "https://github.com";

export interface ViewContext {
  git: GitStore;
  findRepoById(id: number): SimRepo | undefined;
  findApp(id: number): SimApp | undefined;
  checkSuite(id: number): SimCheckSuite | undefined;
  checkRunsOfSuite(id: number): SimCheckRun[];
  pullsForSha(repo: SimRepo, sha: string): SimPull[];
  user(login: string): SimUser | undefined;
  commentsOf(repo: SimRepo, issueNumber: number): SimComment[];
  mergeable(repo: SimRepo, pull: SimPull): boolean;
  diffStats(diff: FileDiff[]): { additions: number; deletions: number; perFile: Map<string, { additions: number; deletions: number; patch: string }> };
}

function countReactions(list: SimReaction[], url: string): S["reaction-rollup"] {
  const c = (k: SimReaction["content"]): number => list.filter((r) => r.content === k).length;
  return {
    url,
    total_count: list.length,
    "+1": c("+1"),
    "-1": c("-1"),
    laugh: c("laugh"),
    confused: c("confused"),
    heart: c("heart"),
    hooray: c("hooray"),
    eyes: c("eyes"),
    rocket: c("rocket"),
  };
}

export class GitHubViews {
  constructor(private readonly ctx: ViewContext) {}

  user(u: SimUser): S["simple-user"] {
    const api = `${API}/users/${encodeURIComponent(u.login)}`;
    return {
      login: u.login,
      id: u.id,
      node_id: u.node_id,
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: "",
      url: api,
      html_url: u.type === "Bot" ? `${WEB}/apps/${encodeURIComponent(u.login.replace(/\[bot\]$/, ""))}` : `${WEB}/${encodeURIComponent(u.login)}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: u.type,
      user_view_type: "public",
      site_admin: u.site_admin,
    };
  }

  repo(r: SimRepo): S["full-repository"] {
    const full = `${r.owner.login}/${r.name}`;
    const api = `${API}/repos/${full}`;
    const openIssues = [...r.issues.values()].filter((i) => i.state === "open").length;
    return {
      id: r.id,
      node_id: r.node_id,
      name: r.name,
      full_name: full,
      private: r.private,
      owner: this.user(r.owner),
      html_url: `${WEB}/${full}`,
      description: r.description,
      fork: false,
      url: api,
      archive_url: `${api}/{archive_format}{/ref}`,
      assignees_url: `${api}/assignees{/user}`,
      blobs_url: `${api}/git/blobs{/sha}`,
      branches_url: `${api}/branches{/branch}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      comments_url: `${api}/comments{/number}`,
      commits_url: `${api}/commits{/sha}`,
      compare_url: `${api}/compare/{base}...{head}`,
      contents_url: `${api}/contents/{+path}`,
      contributors_url: `${api}/contributors`,
      deployments_url: `${api}/deployments`,
      downloads_url: `${api}/downloads`,
      events_url: `${api}/events`,
      forks_url: `${api}/forks`,
      git_commits_url: `${api}/git/commits{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_url: `git://github.com/${full}.git`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      issue_events_url: `${api}/issues/events{/number}`,
      issues_url: `${api}/issues{/number}`,
      keys_url: `${api}/keys{/key_id}`,
      labels_url: `${api}/labels{/name}`,
      languages_url: `${api}/languages`,
      merges_url: `${api}/merges`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      pulls_url: `${api}/pulls{/number}`,
      releases_url: `${api}/releases{/id}`,
      ssh_url: `git@github.com:${full}.git`,
      stargazers_url: `${api}/stargazers`,
      statuses_url: `${api}/statuses/{sha}`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      tags_url: `${api}/tags`,
      teams_url: `${api}/teams`,
      trees_url: `${api}/git/trees{/sha}`,
      clone_url: `${WEB}/${full}.git`,
      mirror_url: null,
      hooks_url: `${api}/hooks`,
      svn_url: `${WEB}/${full}`,
      homepage: null,
      language: null,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      size: 0,
      default_branch: r.defaultBranch,
      open_issues_count: openIssues,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: r.private ? "private" : "public",
      pushed_at: r.pushed_at,
      created_at: r.created_at,
      updated_at: r.updated_at,
      allow_rebase_merge: true,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_auto_merge: false,
      delete_branch_on_merge: false,
      allow_forking: true,
      web_commit_signoff_required: false,
      network_count: 0,
      subscribers_count: 0,
      forks: 0,
      open_issues: openIssues,
      watchers: 0,
      license: null,
    };
  }

  label(l: SimLabel, r: SimRepo): S["label"] {
    return {
      id: l.id,
      node_id: l.node_id,
      url: `${API}/repos/${r.owner.login}/${r.name}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      description: l.description,
      color: l.color,
      default: l.default,
    };
  }

  private labelsOf(r: SimRepo, names: string[]): S["label"][] {
    return names.flatMap((n) => {
      const l = r.labels.get(n.toLowerCase());
      return l ? [this.label(l, r)] : [];
    });
  }

  private authorAssociation(r: SimRepo, u: SimUser): S["author-association"] {
    if (u.login === r.owner.login) return "OWNER";
    if (r.collaborators.has(u.login)) return "COLLABORATOR";
    return "NONE";
  }

  issue(r: SimRepo, i: SimIssue): S["issue"] {
    const full = `${r.owner.login}/${r.name}`;
    const api = `${API}/repos/${full}/issues/${i.number}`;
    const users = i.assignees.flatMap((a) => {
      const u = this.ctx.user(a);
      return u ? [this.user(u)] : [];
    });
    const out: S["issue"] = {
      id: i.id,
      node_id: i.node_id,
      url: api,
      repository_url: `${API}/repos/${full}`,
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `${WEB}/${full}/${i.isPull ? "pull" : "issues"}/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.state_reason,
      title: i.title,
      body: i.body,
      user: this.user(i.user),
      labels: this.labelsOf(r, i.labels),
      assignee: users[0] ?? null,
      assignees: users,
      milestone: null,
      locked: i.locked,
      active_lock_reason: null,
      comments: this.ctx.commentsOf(r, i.number).length,
      closed_at: i.closed_at,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_by: i.closed_by ? this.user(i.closed_by) : null,
      author_association: this.authorAssociation(r, i.user),
      reactions: countReactions(i.reactions, `${api}/reactions`),
      timeline_url: `${api}/timeline`,
      performed_via_github_app: null,
      draft: i.isPull ? (r.pulls.get(i.number)?.draft ?? false) : false,
    };
    if (i.isPull) {
      out.pull_request = {
        url: `${API}/repos/${full}/pulls/${i.number}`,
        html_url: `${WEB}/${full}/pull/${i.number}`,
        diff_url: `${WEB}/${full}/pull/${i.number}.diff`,
        patch_url: `${WEB}/${full}/pull/${i.number}.patch`,
        merged_at: r.pulls.get(i.number)?.merged_at ?? null,
      };
    }
    return out;
  }

  comment(r: SimRepo, c: SimComment): S["issue-comment"] {
    const full = `${r.owner.login}/${r.name}`;
    const url = `${API}/repos/${full}/issues/comments/${c.id}`;
    const issue = r.issues.get(c.issueNumber);
    return {
      id: c.id,
      node_id: c.node_id,
      url,
      html_url: `${WEB}/${full}/${issue?.isPull ? "pull" : "issues"}/${c.issueNumber}#issuecomment-${c.id}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      issue_url: `${API}/repos/${full}/issues/${c.issueNumber}`,
      author_association: this.authorAssociation(r, c.user),
      reactions: countReactions(c.reactions, `${url}/reactions`),
      performed_via_github_app: c.viaAppId !== null ? this.app(c.viaAppId) : null,
    };
  }

  reaction(x: SimReaction): S["reaction"] {
    return { id: x.id, node_id: x.node_id, user: this.user(x.user), content: x.content, created_at: x.created_at };
  }

  app(id: number): S["integration"] {
    const a = this.ctx.findApp(id);
    if (!a) throw new Error(`unknown app ${id}`);
    return {
      id: a.id,
      slug: a.slug,
      node_id: a.node_id,
      client_id: a.client_id,
      owner: this.user(a.owner),
      name: a.name,
      description: null,
      external_url: `https://example.test/${a.slug}`,
      html_url: `${WEB}/apps/${a.slug}`,
      created_at: a.created_at,
      updated_at: a.created_at,
      permissions: { checks: "write", contents: "write", issues: "write", metadata: "read", pull_requests: "write", statuses: "write", members: "read" },
      events: ["check_run", "check_suite", "issue_comment", "issues", "pull_request", "pull_request_review", "push", "status"],
    };
  }

  installation(i: SimInstallation): S["installation"] {
    const a = this.ctx.findApp(i.appId);
    return {
      id: i.id,
      account: this.user(i.account),
      repository_selection: i.repositorySelection,
      access_tokens_url: `${API}/app/installations/${i.id}/access_tokens`,
      repositories_url: `${API}/installation/repositories`,
      html_url: `${WEB}/${i.account.type === "Organization" ? `organizations/${i.account.login}/` : ""}settings/installations/${i.id}`,
      app_id: i.appId,
      client_id: a?.client_id ?? "",
      target_id: i.account.id,
      target_type: i.account.type,
      permissions: { checks: "write", contents: "write", issues: "write", metadata: "read", pull_requests: "write", statuses: "write", members: "read" },
      events: ["check_run", "check_suite", "issue_comment", "issues", "pull_request", "pull_request_review", "push", "status"],
      created_at: i.created_at,
      updated_at: i.created_at,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      app_slug: a?.slug ?? "",
      suspended_by: null,
      suspended_at: null,
    };
  }

  gitCommit(r: SimRepo, c: CommitObject): S["git-commit"] {
    const api = `${API}/repos/${r.owner.login}/${r.name}`;
    return {
      sha: c.sha,
      node_id: `C_${c.sha.slice(0, 20)}`,
      url: `${api}/git/commits/${c.sha}`,
      html_url: `${WEB}/${r.owner.login}/${r.name}/commit/${c.sha}`,
      author: { ...c.author },
      committer: { ...c.committer },
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      message: c.message,
      parents: c.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}`, html_url: `${WEB}/${r.owner.login}/${r.name}/commit/${p}` })),
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    };
  }

  private userByEmail(email: string): SimUser | undefined {
    const login = email.endsWith("@users.noreply.github.com") ? email.replace(/@users\.noreply\.github\.com$/, "").replace(/^\d+\+/, "") : undefined;
    return login ? this.ctx.user(login) : undefined;
  }

  commit(r: SimRepo, c: CommitObject, withFiles: boolean): S["commit"] {
    const full = `${r.owner.login}/${r.name}`;
    const api = `${API}/repos/${full}`;
    const author = this.userByEmail(c.author.email);
    const committer = this.userByEmail(c.committer.email);
    const out: S["commit"] = {
      url: `${api}/commits/${c.sha}`,
      sha: c.sha,
      node_id: `C_${c.sha.slice(0, 20)}`,
      html_url: `${WEB}/${full}/commit/${c.sha}`,
      comments_url: `${api}/commits/${c.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${c.sha}`,
        author: { ...c.author },
        committer: { ...c.committer },
        message: c.message,
        comment_count: 0,
        tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
        verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
      author: author ? this.user(author) : null,
      committer: committer ? this.user(committer) : null,
      parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${WEB}/${full}/commit/${p}` })),
    };
    if (withFiles) {
      const parent = c.parents[0] ? this.ctx.git.commit(c.parents[0]) : undefined;
      const diff = this.ctx.git.diffTrees(parent?.tree, c.tree);
      const files = this.diffEntries(r, c.sha, diff);
      const stats = this.ctx.diffStats(diff);
      out.files = files;
      out.stats = { additions: stats.additions, deletions: stats.deletions, total: stats.additions + stats.deletions };
    }
    return out;
  }

  diffEntries(r: SimRepo, ref: string, diff: FileDiff[]): S["diff-entry"][] {
    const full = `${r.owner.login}/${r.name}`;
    const stats = this.ctx.diffStats(diff);
    return diff.map((d) => {
      const s = stats.perFile.get(d.filename) ?? { additions: 0, deletions: 0, patch: "" };
      const path = d.filename.split("/").map(encodeURIComponent).join("/");
      return {
        sha: d.newSha ?? d.oldSha ?? "",
        filename: d.filename,
        status: d.status,
        additions: s.additions,
        deletions: s.deletions,
        changes: s.additions + s.deletions,
        blob_url: `${WEB}/${full}/blob/${ref}/${path}`,
        raw_url: `${WEB}/${full}/raw/${ref}/${path}`,
        contents_url: `${API}/repos/${full}/contents/${path}?ref=${ref}`,
        patch: s.patch,
      };
    });
  }

  private branchRef(r: SimRepo, ref: string, sha: string): S["pull-request"]["base"] {
    return { label: `${r.owner.login}:${ref}`, ref, sha, user: this.user(r.owner), repo: this.repo(r) as S["repository"] };
  }

  pullSimple(r: SimRepo, p: SimPull): S["pull-request-simple"] {
    const full = `${r.owner.login}/${r.name}`;
    const api = `${API}/repos/${full}/pulls/${p.number}`;
    const issueApi = `${API}/repos/${full}/issues/${p.number}`;
    const html = `${WEB}/${full}/pull/${p.number}`;
    const i = p.issue;
    const baseSha = i.state === "open" ? (r.refs.get(`refs/heads/${p.baseRef}`) ?? p.baseSha) : p.baseSha;
    const users = i.assignees.flatMap((a) => {
      const u = this.ctx.user(a);
      return u ? [this.user(u)] : [];
    });
    const reviewers = p.requested_reviewers.flatMap((a) => {
      const u = this.ctx.user(a);
      return u ? [this.user(u)] : [];
    });
    return {
      url: api,
      id: p.id,
      node_id: p.node_id,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issueApi,
      commits_url: `${api}/commits`,
      review_comments_url: `${api}/comments`,
      review_comment_url: `${API}/repos/${full}/pulls/comments{/number}`,
      comments_url: `${issueApi}/comments`,
      statuses_url: `${API}/repos/${full}/statuses/${p.headSha}`,
      number: p.number,
      state: i.state,
      locked: i.locked,
      title: i.title,
      user: this.user(i.user),
      body: i.body,
      labels: this.labelsOf(r, i.labels).map((l) => ({ ...l, description: l.description ?? "" })),
      milestone: null,
      active_lock_reason: null,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      merged_at: p.merged_at,
      merge_commit_sha: p.merge_commit_sha,
      assignee: users[0] ?? null,
      assignees: users,
      requested_reviewers: reviewers,
      requested_teams: [],
      head: this.branchRef(r, p.headRef, p.headSha),
      base: this.branchRef(r, p.baseRef, baseSha),
      _links: {
        self: { href: api },
        html: { href: html },
        issue: { href: issueApi },
        comments: { href: `${issueApi}/comments` },
        review_comments: { href: `${api}/comments` },
        review_comment: { href: `${API}/repos/${full}/pulls/comments{/number}` },
        commits: { href: `${api}/commits` },
        statuses: { href: `${API}/repos/${full}/statuses/${p.headSha}` },
      },
      author_association: this.authorAssociation(r, i.user),
      auto_merge: null,
      draft: p.draft,
    };
  }

  pull(r: SimRepo, p: SimPull): S["pull-request"] {
    const simple = this.pullSimple(r, p);
    const base = this.ctx.git.mergeBase(simple.base.sha, p.headSha);
    const diff = this.ctx.git.diffTrees(base ? this.ctx.git.commit(base)?.tree : undefined, this.ctx.git.commit(p.headSha)?.tree);
    const stats = this.ctx.diffStats(diff);
    const commits = base ? this.ctx.git.commitsBetween(base, p.headSha).length : this.ctx.git.history(p.headSha).length;
    const open = p.issue.state === "open";
    const mergeable = p.merged ? null : open ? this.ctx.mergeable(r, p) : null;
    return {
      ...simple,
      state: p.issue.state,
      user: this.user(p.issue.user),
      head: this.branchRef(r, p.headRef, p.headSha),
      base: this.branchRef(r, p.baseRef, simple.base.sha),
      labels: this.labelsOf(r, p.issue.labels),
      merged: p.merged,
      mergeable,
      rebaseable: mergeable,
      mergeable_state: !open ? "unknown" : mergeable ? (p.draft ? "draft" : "clean") : "dirty",
      merged_by: p.merged_by ? this.user(p.merged_by) : null,
      comments: this.ctx.commentsOf(r, p.number).length,
      review_comments: 0,
      maintainer_can_modify: p.maintainer_can_modify,
      commits,
      additions: stats.additions,
      deletions: stats.deletions,
      changed_files: diff.length,
    };
  }

  review(r: SimRepo, v: SimReview): S["pull-request-review"] {
    const full = `${r.owner.login}/${r.name}`;
    const html = `${WEB}/${full}/pull/${v.pullNumber}#pullrequestreview-${v.id}`;
    const pr = `${API}/repos/${full}/pulls/${v.pullNumber}`;
    const out: S["pull-request-review"] = {
      id: v.id,
      node_id: v.node_id,
      user: this.user(v.user),
      body: v.body,
      state: v.state,
      html_url: html,
      pull_request_url: pr,
      _links: { html: { href: html }, pull_request: { href: pr } },
      commit_id: v.commit_id,
      author_association: this.authorAssociation(r, v.user),
    };
    if (v.submitted_at) out.submitted_at = v.submitted_at;
    return out;
  }

  checkRun(r: SimRepo, c: SimCheckRun): S["check-run"] {
    const full = `${r.owner.login}/${r.name}`;
    const url = `${API}/repos/${full}/check-runs/${c.id}`;
    const pulls = this.ctx.pullsForSha(r, c.head_sha).filter((p) => p.issue.state === "open");
    return {
      id: c.id,
      node_id: c.node_id,
      head_sha: c.head_sha,
      external_id: c.external_id ?? "",
      url,
      html_url: `${WEB}/${full}/runs/${c.id}`,
      details_url: c.details_url ?? `https://example.test/${this.ctx.findApp(c.appId)?.slug ?? "app"}`,
      status: c.status,
      conclusion: c.conclusion as S["check-run"]["conclusion"],
      started_at: c.started_at,
      completed_at: c.completed_at,
      output: {
        title: c.output.title,
        summary: c.output.summary,
        text: c.output.text,
        annotations_count: c.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      name: c.name,
      check_suite: { id: c.suiteId },
      app: this.app(c.appId),
      pull_requests: pulls.map((p) => this.pullMinimal(r, p)),
    };
  }

  pullMinimal(r: SimRepo, p: SimPull): S["pull-request-minimal"] {
    const baseSha = r.refs.get(`refs/heads/${p.baseRef}`) ?? p.baseSha;
    const repo = { id: r.id, url: `${API}/repos/${r.owner.login}/${r.name}`, name: r.name };
    return {
      id: p.id,
      number: p.number,
      url: `${API}/repos/${r.owner.login}/${r.name}/pulls/${p.number}`,
      head: { ref: p.headRef, sha: p.headSha, repo },
      base: { ref: p.baseRef, sha: baseSha, repo },
    };
  }

  annotation(r: SimRepo, c: SimCheckRun, a: SimAnnotation): S["check-annotation"] {
    return {
      path: a.path,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: a.start_column,
      end_column: a.end_column,
      annotation_level: a.annotation_level,
      title: a.title,
      message: a.message,
      raw_details: a.raw_details,
      blob_href: `${WEB}/${r.owner.login}/${r.name}/blob/${c.head_sha}/${a.path}`,
    };
  }

  checkSuite(r: SimRepo, s: SimCheckSuite): S["check-suite"] {
    const full = `${r.owner.login}/${r.name}`;
    const c = this.ctx.git.commit(s.head_sha);
    const runs = this.ctx.checkRunsOfSuite(s.id);
    return {
      id: s.id,
      node_id: s.node_id,
      head_branch: s.head_branch,
      head_sha: s.head_sha,
      status: s.status,
      conclusion: s.conclusion,
      url: `${API}/repos/${full}/check-suites/${s.id}`,
      before: s.before,
      after: s.after,
      pull_requests: this.ctx
        .pullsForSha(r, s.head_sha)
        .filter((p) => p.issue.state === "open")
        .map((p) => this.pullMinimal(r, p)),
      app: this.app(s.appId),
      repository: this.minimalRepo(r),
      created_at: s.created_at,
      updated_at: s.updated_at,
      head_commit: {
        id: s.head_sha,
        tree_id: c?.tree ?? "",
        message: c?.message ?? "",
        timestamp: c?.committer.date ?? s.created_at,
        author: c ? { name: c.author.name, email: c.author.email } : null,
        committer: c ? { name: c.committer.name, email: c.committer.email } : null,
      },
      latest_check_runs_count: runs.length,
      check_runs_url: `${API}/repos/${full}/check-suites/${s.id}/check-runs`,
      rerequestable: true,
      runs_rerequestable: true,
    };
  }

  minimalRepo(r: SimRepo): S["minimal-repository"] {
    const full = this.repo(r);
    const { network_count: _n, subscribers_count: _s, mirror_url: _m, temp_clone_token: _t, license: _l, ...rest } = full;
    return { ...rest, mirror_url: null, license: null };
  }

  status(r: SimRepo, s: SimStatus): S["status"] {
    return {
      url: `${API}/repos/${r.owner.login}/${r.name}/statuses/${s.sha}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${s.creator.id}?v=4`,
      id: s.id,
      node_id: s.node_id,
      state: s.state,
      description: s.description,
      target_url: s.target_url,
      context: s.context,
      created_at: s.created_at,
      updated_at: s.updated_at,
      creator: this.user(s.creator),
    };
  }
}
